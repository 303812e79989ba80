using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol.Client;

/// <summary>Client, after H2: waits for the <see cref="HeRoundResult"/> (or an abort notice).</summary>
public sealed class HeClientUploadedState : HePartyState
{
    // The device's upload buffer, held until the round ends: the sent envelope's body is its memory.
    private HeUploadBuffer? _buffer;

    internal HeClientUploadedState(uint clientId, HeUploadBuffer? buffer)
        : base(clientId) => _buffer = buffer;

    /// <inheritdoc />
    public override string Name => "H3 await result";

    private protected override HePartyTransition? HandleCore(HeServerMessage message)
    {
        if (message is not HeRoundResult result)
        {
            return null;
        }
        ReleaseSecrets();
        return new HePartyTransition(new HeClientCompletedState(ClientId, result, (result.Contributors ?? []).Contains(ClientId)), null);
    }

    private protected override void ReleaseSecrets()
    {
        _buffer?.Release();
        _buffer = null;
    }
}
