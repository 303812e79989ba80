using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>Terminal: the round produced <see cref="Result"/>.</summary>
public sealed class ServerCompletedState : ServerState
{
    internal ServerCompletedState(ServerContext context, AggregationResult result)
        : base(context)
    {
        Result = result;
    }

    /// <inheritdoc />
    public override string Name => "Completed";

    /// <inheritdoc />
    public override ProtocolStage? Stage => null;

    /// <summary>The sums of the survivors' inputs.</summary>
    public AggregationResult Result { get; }

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => [];

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => [];

    /// <inheritdoc />
    public override ServerTransition CloseStage() => new(this);

    private protected override MessageRejection? Accept(ClientEnvelope envelope) => new(RejectionReason.RoundClosed, "completed");
}
