using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>The result of a client handling one server message: its next state and what it sends, if anything.</summary>
public sealed class ClientTransition
{
    internal ClientTransition(ClientState next, ClientEnvelope? outgoing, string? refusal = null)
    {
        Next = next;
        Outgoing = outgoing;
        Refusal = refusal;
    }

    /// <summary>The client's state after the message.</summary>
    public ClientState Next { get; }

    /// <summary>The envelope to send to the server, or null.</summary>
    public ClientEnvelope? Outgoing { get; }

    /// <summary>Set when a terminal state refused the message (the state did not change).</summary>
    public string? Refusal { get; }
}
