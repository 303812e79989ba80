using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Parties;

namespace SecureFed.HeProtocol;

/// <summary>
/// One state of a party's HE round, client or decryptor (one sealed subclass per step, like the SecAgg client), a
/// <see cref="PartyState{TState, TMessage, TStep}"/>: a message the state cannot accept leads to
/// <see cref="HePartyAbortedState"/> with a typed <see cref="AbortReason"/>, never an exception. Dispose the current
/// state when the round ends early.
/// </summary>
public abstract class HePartyState : PartyState<HePartyState, HeServerMessage, HePartyTransition>, IDisposable
{
    private protected HePartyState(uint clientId)
        : base(clientId)
    {
    }

    /// <summary>Wipes whatever secrets this state still holds (nothing once it has moved on).</summary>
    public void Dispose()
    {
        ReleaseSecrets();
        GC.SuppressFinalize(this);
    }

    // The next state and reply for a message of the kind this state takes, null for any other kind.
    private protected abstract HePartyTransition? HandleCore(HeServerMessage message);

    private protected virtual void ReleaseSecrets()
    {
    }

    /// <inheritdoc />
    protected sealed override HePartyTransition? Next(HeServerMessage message)
    {
        try
        {
            return HandleCore(message);
        }
        catch (HeProtocolException e)
        {
            return Abort(AbortReason.InvalidServerMessage, e.Message);
        }
    }

    /// <inheritdoc />
    protected sealed override string? AbortNotice(HeServerMessage message) =>
        message is HeAbortNotice notice ? $"{notice.Reason}: {notice.Detail}" : null;

    /// <inheritdoc />
    protected sealed override int VersionOf(HeServerMessage message) => message.Version;

    /// <inheritdoc />
    protected sealed override HePartyTransition Aborted(AbortReason reason, string detail) =>
        new(new HePartyAbortedState(ClientId, reason, detail), null);

    /// <inheritdoc />
    protected sealed override HePartyTransition Refused(string refusal) => new(this, null, refusal);

    /// <inheritdoc />
    protected sealed override void Wipe() => ReleaseSecrets();
}
