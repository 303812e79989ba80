using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>Terminal: the round was aborted.</summary>
public sealed class HeServerAbortedState : HeServerState
{
    internal HeServerAbortedState(HeRoundParameters parameters, HeAbortReason reason, string detail)
        : base(parameters)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <summary>Why.</summary>
    public HeAbortReason Reason { get; }

    /// <summary>Human-readable detail.</summary>
    public string Detail { get; }

    /// <inheritdoc />
    public override string Name => "aborted";

    /// <inheritdoc />
    public override HeStage? Stage => null;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected => [];

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => [];

    /// <inheritdoc />
    public override HeServerTransition CloseStage() => new(this);

    private protected override MessageRejection? Accept(HeEnvelope envelope) => new(RejectionReason.RoundClosed, "the round was aborted");
}
