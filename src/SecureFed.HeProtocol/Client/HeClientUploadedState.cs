using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol.Client;

/// <summary>Client, after H2: waits for the result (or an abort notice).</summary>
public sealed class HeClientUploadedState
{
    internal HeClientUploadedState(uint clientId) => ClientId = clientId;

    /// <summary>This client's id.</summary>
    public uint ClientId { get; }

    /// <summary>Takes the round's result.</summary>
    public HeClientCompletedState Complete(HeRoundResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new HeClientCompletedState(result, (result.Contributors ?? []).Contains(ClientId));
    }
}
