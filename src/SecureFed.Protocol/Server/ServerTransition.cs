namespace SecureFed.Protocol.Server;

/// <summary>The result of a server step: the next state, the messages to send and, for a refused message, why.</summary>
public sealed class ServerTransition
{
    internal ServerTransition(ServerState next, IReadOnlyList<OutgoingMessage>? outgoing = null, MessageRejection? rejection = null)
    {
        Next = next;
        Outgoing = outgoing ?? [];
        Rejection = rejection;
    }

    /// <summary>The server's state after the step (the same object when a message was only recorded or refused).</summary>
    public ServerState Next { get; }

    /// <summary>Messages to send.</summary>
    public IReadOnlyList<OutgoingMessage> Outgoing { get; }

    /// <summary>Set when the message was refused; the state did not change.</summary>
    public MessageRejection? Rejection { get; }

    /// <summary>True when the message was accepted.</summary>
    public bool Accepted => Rejection is null;
}
