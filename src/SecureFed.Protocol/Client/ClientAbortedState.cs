using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>Terminal: the client stopped the round for <see cref="Reason"/>. Its secrets are wiped.</summary>
public sealed class ClientAbortedState : ClientState
{
    internal ClientAbortedState(ClientContext context, AbortReason reason, string detail)
        : base(context)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <inheritdoc />
    public override string Name => $"Aborted({Reason})";

    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <summary>Why.</summary>
    public AbortReason Reason { get; }

    /// <summary>Human-readable detail (never secret).</summary>
    public string Detail { get; }

    private protected override ClientTransition HandleCore(ServerMessage message) => throw new InvalidOperationException("terminal");

    private protected override void ReleaseSecrets()
    {
    }
}
