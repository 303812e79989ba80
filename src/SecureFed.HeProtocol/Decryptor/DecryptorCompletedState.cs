using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol.Decryptor;

/// <summary>Decryptor, terminal: the round's result arrived and the key share is wiped.</summary>
public sealed class DecryptorCompletedState : HePartyState
{
    internal DecryptorCompletedState(uint clientId)
        : base(clientId)
    {
    }

    /// <inheritdoc />
    public override string Name => "Completed";

    /// <inheritdoc />
    public override bool IsTerminal => true;

    private protected override HePartyTransition? HandleCore(HeServerMessage message) => throw new InvalidOperationException("terminal");
}
