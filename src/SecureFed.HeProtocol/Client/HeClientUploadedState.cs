using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol.Client;

/// <summary>Client, after H2: waits for the <see cref="HeRoundResult"/> (or an abort notice).</summary>
public sealed class HeClientUploadedState : HePartyState
{
    internal HeClientUploadedState(uint clientId)
        : base(clientId)
    {
    }

    /// <inheritdoc />
    public override string Name => "H3 await result";

    private protected override HePartyTransition? HandleCore(HeServerMessage message) => message is HeRoundResult result
        ? new HePartyTransition(new HeClientCompletedState(ClientId, result, (result.Contributors ?? []).Contains(ClientId)), null)
        : null;
}
