using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol.Client;

/// <summary>Client, terminal: the round's sum and whether this client's upload is in it.</summary>
public sealed class HeClientCompletedState : HePartyState
{
    internal HeClientCompletedState(uint clientId, HeRoundResult result, bool included)
        : base(clientId)
    {
        Result = result;
        Included = included;
    }

    /// <inheritdoc />
    public override string Name => "Completed";

    /// <inheritdoc />
    public override bool IsTerminal => true;

    /// <summary>The sum and contributors the server announced.</summary>
    public HeRoundResult Result { get; }

    /// <summary>True when this client is among the contributors.</summary>
    public bool Included { get; }

    private protected override HePartyTransition? HandleCore(HeServerMessage message) => throw new InvalidOperationException("terminal");
}
