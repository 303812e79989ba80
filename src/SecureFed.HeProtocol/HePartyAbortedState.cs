using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol;

/// <summary>Terminal: the party stopped the round for <see cref="Reason"/>; its secrets are wiped.</summary>
public sealed class HePartyAbortedState : HePartyState
{
    internal HePartyAbortedState(uint clientId, AbortReason reason, string detail)
        : base(clientId)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <inheritdoc />
    public override string Name => $"Aborted({Reason})";

    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <summary>Why: <see cref="AbortReason.ServerAborted"/> or <see cref="AbortReason.InvalidServerMessage"/>.</summary>
    public AbortReason Reason { get; }

    /// <summary>Human-readable detail (never secret).</summary>
    public string Detail { get; }

    private protected override HePartyTransition? HandleCore(HeServerMessage message) => throw new InvalidOperationException("terminal");
}
