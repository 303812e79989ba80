namespace SecureFed.Aggregator.Storage;

/// <summary>One event of a running round's append-only log: an accepted envelope (sender, SHA-256 digest, exact
/// bytes) or, with a null <see cref="Envelope"/>, a stage close.</summary>
internal sealed record RoundLogEntry(long Seq, uint ClientId, byte[]? Digest, byte[]? Envelope)
{
    public bool IsClose => Envelope is null;
}
