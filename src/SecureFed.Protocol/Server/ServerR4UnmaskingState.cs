using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>R4 Unmasking: collects revealed shares (self-mask seed shares for survivors, mask key shares for dropped clients, never both for one owner) and each responder's pair seeds with its dropped neighbours; closes by reconstructing the self-mask seeds (and a dropped client's mask key only where a surviving neighbour's pair seed is missing) and removing every mask from the sum.</summary>
public sealed class ServerR4UnmaskingState : ServerState
{
    internal ServerR4UnmaskingState(LocalSecAggRound round)
        : base(round)
    {
    }

    /// <inheritdoc />
    public override string Name => "R4 Unmasking";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.Unmasking;
}
