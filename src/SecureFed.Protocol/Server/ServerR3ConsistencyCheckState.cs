using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>R3 ConsistencyCheck: collects survivors' signed survivor-set hashes with their consistency tags for their surviving neighbours; closes with the unmasking request, which hands each recipient the tags addressed to it.</summary>
public sealed class ServerR3ConsistencyCheckState : ServerState
{
    internal ServerR3ConsistencyCheckState(LocalSecAggRound round)
        : base(round)
    {
    }

    /// <inheritdoc />
    public override string Name => "R3 ConsistencyCheck";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.ConsistencyCheck;
}
