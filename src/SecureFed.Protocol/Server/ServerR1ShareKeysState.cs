using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>R1 ShareKeys: collects each client's encrypted bundles (one per neighbour); closes by routing them.</summary>
public sealed class ServerR1ShareKeysState : ServerState
{
    internal ServerR1ShareKeysState(LocalSecAggRound round)
        : base(round)
    {
    }

    /// <inheritdoc />
    public override string Name => "R1 ShareKeys";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.ShareKeys;
}
