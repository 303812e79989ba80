using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol;

/// <summary>
/// One state of a party's HE round, client or decryptor (one sealed subclass per step, like the SecAgg client and the
/// HE server). <see cref="Handle"/> takes a server message and returns the next state with the party's reply; a
/// message the state cannot accept leads to <see cref="HePartyAbortedState"/> with a typed <see cref="AbortReason"/>,
/// never an exception. A state hands its secrets to the next one (or wipes them) when it moves on; dispose the
/// current state when the round ends early.
/// </summary>
public abstract class HePartyState : IDisposable
{
    private bool _consumed;

    private protected HePartyState(uint clientId) => ClientId = clientId;

    /// <summary>The party's client id.</summary>
    public uint ClientId { get; }

    /// <summary>Name of the state, for logs.</summary>
    public abstract string Name { get; }

    /// <summary>True for the completed and aborted states.</summary>
    public virtual bool IsTerminal => false;

    /// <summary>Handles one server message. A non-terminal state handles exactly one: use the returned state next.</summary>
    /// <exception cref="ObjectDisposedException">This state already handled a message (a caller bug).</exception>
    public HePartyTransition Handle(HeServerMessage message)
    {
        if (IsTerminal)
        {
            return new HePartyTransition(this, null, $"the party's round is over ({Name}); {message?.GetType().Name ?? "null"} refused");
        }
        ObjectDisposedException.ThrowIf(_consumed, this);
        _consumed = true;
        if (message is HeAbortNotice notice)
        {
            return Abort(AbortReason.ServerAborted, $"server aborted the round: {notice.Reason}: {notice.Detail}");
        }
        if (message is null || message.Version != 1)
        {
            return Abort(AbortReason.InvalidServerMessage, "missing message or unsupported version");
        }
        try
        {
            return HandleCore(message) ?? Abort(AbortReason.InvalidServerMessage, $"{Name} does not take a {message.GetType().Name}");
        }
        catch (HeProtocolException e)
        {
            return Abort(AbortReason.InvalidServerMessage, e.Message);
        }
    }

    /// <summary>Wipes whatever secrets this state still holds (nothing once it has moved on).</summary>
    public void Dispose()
    {
        ReleaseSecrets();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"party {ClientId}: {Name}";

    // The next state and reply for a message of the kind this state takes, null for any other kind.
    private protected abstract HePartyTransition? HandleCore(HeServerMessage message);

    private protected virtual void ReleaseSecrets()
    {
    }

    // Moves on without handling a message (a decryptor's first step); the state is spent.
    private protected void Consume()
    {
        ObjectDisposedException.ThrowIf(_consumed, this);
        _consumed = true;
    }

    private protected HePartyTransition Abort(AbortReason reason, string detail)
    {
        ReleaseSecrets();
        return new HePartyTransition(new HePartyAbortedState(ClientId, reason, detail), null);
    }
}
