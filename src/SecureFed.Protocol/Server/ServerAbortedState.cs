using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>Terminal: the round ended without a result.</summary>
public sealed class ServerAbortedState : ServerState
{
    internal ServerAbortedState(LocalSecAggRound round, AbortReason reason, string detail)
        : base(round)
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
}
