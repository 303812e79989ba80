namespace SecureFed.Protocol.Server;

/// <summary>
/// The result of a server step in either scheme: the next state, the messages to send and, for a refused message,
/// why. Each scheme's sealed subclass fixes its state and message types.
/// </summary>
/// <typeparam name="TState">The scheme's server state.</typeparam>
/// <typeparam name="TOutgoing">The scheme's outgoing message (recipients and message).</typeparam>
public abstract class ServerStep<TState, TOutgoing>
    where TState : class
    where TOutgoing : class
{
    /// <summary>A step to <paramref name="next"/> sending <paramref name="outgoing"/> (none when null), refused when
    /// <paramref name="rejection"/> is set.</summary>
    protected ServerStep(TState next, IReadOnlyList<TOutgoing>? outgoing, MessageRejection? rejection)
    {
        Next = next;
        Outgoing = outgoing ?? [];
        Rejection = rejection;
    }

    /// <summary>The server's state after the step (the same object when a message was only recorded or refused).</summary>
    public TState Next { get; }

    /// <summary>Messages to send.</summary>
    public IReadOnlyList<TOutgoing> Outgoing { get; }

    /// <summary>Set when the message was refused; the state did not change.</summary>
    public MessageRejection? Rejection { get; }

    /// <summary>True when the message was accepted.</summary>
    public bool Accepted => Rejection is null;
}
