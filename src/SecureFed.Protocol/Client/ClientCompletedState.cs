using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>Terminal: the client revealed its unmasking shares. It refuses every further request, so the server
/// can never obtain a second kind of share for any peer.</summary>
public sealed class ClientCompletedState : ClientState
{
    internal ClientCompletedState(ClientContext context, IReadOnlyDictionary<uint, ShareKind> revealed)
        : base(context)
    {
        Revealed = revealed;
    }

    /// <inheritdoc />
    public override string Name => "Completed";

    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <summary>Which kind of share was revealed for each owner (the reveal ledger).</summary>
    public IReadOnlyDictionary<uint, ShareKind> Revealed { get; }

    private protected override ClientTransition HandleCore(ServerMessage message) => throw new InvalidOperationException("terminal");

    private protected override void ReleaseSecrets()
    {
    }
}
