using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>R2 MaskedInputCollection: adds each masked input to a running sum as it arrives (memory O(length), never O(clients x length)); closes by announcing the survivor set.</summary>
public sealed class ServerR2MaskedInputState : ServerState
{
    internal ServerR2MaskedInputState(LocalSecAggRound round)
        : base(round)
    {
    }

    /// <inheritdoc />
    public override string Name => "R2 MaskedInputCollection";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.MaskedInputCollection;
}
