using SecureFed.HeProtocol.Messages;

namespace SecureFed.HeProtocol;

/// <summary>A party's step: its next state and the signed envelope to send, if any.</summary>
public sealed class HePartyTransition
{
    internal HePartyTransition(HePartyState next, HeEnvelope? outgoing, string? refusal = null)
    {
        Next = next;
        Outgoing = outgoing;
        Refusal = refusal;
    }

    /// <summary>The party's state after the step.</summary>
    public HePartyState Next { get; }

    /// <summary>The envelope to send to the server, or null.</summary>
    public HeEnvelope? Outgoing { get; }

    /// <summary>Set when a terminal state refused the message (the state did not change).</summary>
    public string? Refusal { get; }
}
