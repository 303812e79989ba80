using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>Terminal: the round produced <see cref="Result"/>.</summary>
public sealed class ServerCompletedState : ServerState
{
    internal ServerCompletedState(LocalSecAggRound round, AggregationResult result)
        : base(round)
    {
        Result = result;
    }

    /// <inheritdoc />
    public override string Name => "Completed";

    /// <inheritdoc />
    public override ProtocolStage? Stage => null;

    /// <summary>The sums of the survivors' inputs.</summary>
    public AggregationResult Result { get; }
}
