namespace SecureFed.Protocol.Hosting;

/// <summary>
/// How a round ended: <see cref="Result"/> when it completed, <see cref="Abort"/> when it did not, and the one message
/// every later poll of a roster member is answered with (null when the scheme sends none after completing).
/// </summary>
public sealed record RoundEnd(RoundResult? Result, RoundAbort? Abort, byte[]? FinalMessage)
{
    /// <summary><see cref="RoundPhase.Completed"/> or <see cref="RoundPhase.Aborted"/>.</summary>
    public RoundPhase Phase => Result is null ? RoundPhase.Aborted : RoundPhase.Completed;
}
