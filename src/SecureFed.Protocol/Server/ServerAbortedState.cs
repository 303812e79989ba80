using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>Terminal: the round ended without a result.</summary>
public sealed class ServerAbortedState : ServerState
{
    internal ServerAbortedState(ServerContext context, AbortReason reason, string detail)
        : base(context)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <inheritdoc />
    public override string Name => $"Aborted({Reason})";

    /// <inheritdoc />
    public override ProtocolStage? Stage => null;

    /// <summary>Why.</summary>
    public AbortReason Reason { get; }

    /// <summary>Human-readable detail.</summary>
    public string Detail { get; }

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => [];

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => [];

    /// <inheritdoc />
    public override ServerTransition CloseStage() => new(this);

    private protected override MessageRejection? Accept(ClientEnvelope envelope) => new(RejectionReason.RoundClosed, "aborted");
}
