using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Parties;

/// <summary>
/// One state of a party's round in either scheme (a SecAgg client; an HE client or decryptor): one sealed subclass
/// per step, with explicit completed and aborted states. <see cref="Handle"/> takes a server message and returns
/// the next state with the party's reply; the server's abort notice, a message of another version or kind, or a
/// protocol violation leads to the scheme's aborted state with a typed <see cref="AbortReason"/>, never an
/// exception. A state hands its secrets to the next one (or wipes them) when it moves on, so a used state cannot
/// run again. Each scheme's base fixes the types and says what its messages and violations look like.
/// </summary>
/// <typeparam name="TState">The scheme's party state (the class deriving from this one).</typeparam>
/// <typeparam name="TMessage">The scheme's server message.</typeparam>
/// <typeparam name="TStep">The scheme's step (a <see cref="PartyStep{TState, TEnvelope}"/>).</typeparam>
public abstract class PartyState<TState, TMessage, TStep>
    where TState : PartyState<TState, TMessage, TStep>
    where TMessage : class
    where TStep : class
{
    private bool _consumed;

    /// <summary>A state of client <paramref name="clientId"/>'s party.</summary>
    protected PartyState(uint clientId) => ClientId = clientId;

    /// <summary>The party's client id.</summary>
    public uint ClientId { get; }

    /// <summary>Name of the state, for logs and progress.</summary>
    public abstract string Name { get; }

    /// <summary>True for the completed and aborted states.</summary>
    public virtual bool IsTerminal => false;

    /// <summary>True once this state has handled a message (or moved on without one).</summary>
    protected bool IsConsumed => _consumed;

    /// <summary>Handles one server message. A non-terminal state handles exactly one: use the returned state next.
    /// A terminal state refuses every message and stays as it is.</summary>
    /// <exception cref="ObjectDisposedException">This state already handled a message (a caller bug).</exception>
    public TStep Handle(TMessage message)
    {
        if (IsTerminal)
        {
            return Refused($"the party's round is over ({Name}); {message?.GetType().Name ?? "null"} refused");
        }
        Consume();
        if (message is not null && AbortNotice(message) is { } notice)
        {
            return Abort(AbortReason.ServerAborted, $"server aborted the round: {notice}");
        }
        if (message is null || VersionOf(message) != 1)
        {
            return Abort(AbortReason.InvalidServerMessage, "missing message or unsupported version");
        }
        return Next(message) ?? Abort(AbortReason.InvalidServerMessage, $"{Name} does not take a {message.GetType().Name}");
    }

    /// <inheritdoc />
    public override string ToString() => $"party {ClientId}: {Name}";

    /// <summary>Moves on without handling a message (a step the party takes by itself); the state is spent.</summary>
    /// <exception cref="ObjectDisposedException">This state was already spent.</exception>
    protected void Consume()
    {
        ObjectDisposedException.ThrowIf(_consumed, this);
        _consumed = true;
    }

    /// <summary>Wipes this state's secrets and moves to the aborted state.</summary>
    protected TStep Abort(AbortReason reason, string detail)
    {
        Wipe();
        return Aborted(reason, detail);
    }

    /// <summary>The next state and reply for a message of the kind this state takes (the scheme turns its
    /// violations into <see cref="Abort"/>), null for any other kind.</summary>
    protected abstract TStep? Next(TMessage message);

    /// <summary>"reason: detail" when <paramref name="message"/> is the server's abort notice, else null.</summary>
    protected abstract string? AbortNotice(TMessage message);

    /// <summary>The protocol version <paramref name="message"/> carries.</summary>
    protected abstract int VersionOf(TMessage message);

    /// <summary>A step to the scheme's aborted state for <paramref name="reason"/>, sending nothing.</summary>
    protected abstract TStep Aborted(AbortReason reason, string detail);

    /// <summary>A step that stays in this (terminal) state, refusing the message for <paramref name="refusal"/>.</summary>
    protected abstract TStep Refused(string refusal);

    /// <summary>Wipes whatever secrets this state still holds (nothing once it has moved on).</summary>
    protected abstract void Wipe();
}
