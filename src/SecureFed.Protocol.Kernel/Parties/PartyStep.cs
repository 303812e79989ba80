namespace SecureFed.Protocol.Parties;

/// <summary>
/// The result of a party handling one server message in either scheme: its next state, the envelope it sends, if
/// any, and, when a terminal state refused the message, why. Each scheme's sealed subclass fixes its state and
/// envelope types.
/// </summary>
/// <typeparam name="TState">The scheme's party state.</typeparam>
/// <typeparam name="TEnvelope">The scheme's signed client envelope.</typeparam>
public abstract class PartyStep<TState, TEnvelope>
    where TState : class
    where TEnvelope : class
{
    /// <summary>A step to <paramref name="next"/> sending <paramref name="outgoing"/> (nothing when null), refused
    /// by a terminal state when <paramref name="refusal"/> is set.</summary>
    protected PartyStep(TState next, TEnvelope? outgoing, string? refusal)
    {
        Next = next;
        Outgoing = outgoing;
        Refusal = refusal;
    }

    /// <summary>The party's state after the message.</summary>
    public TState Next { get; }

    /// <summary>The envelope to send to the server, or null.</summary>
    public TEnvelope? Outgoing { get; }

    /// <summary>Set when a terminal state refused the message (the state did not change).</summary>
    public string? Refusal { get; }
}
