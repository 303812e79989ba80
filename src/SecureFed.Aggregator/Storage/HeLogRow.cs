namespace SecureFed.Aggregator.Storage;

/// <summary>One row of an HE round's replay log: an accepted envelope (sender, SHA-256 digest, bytes) or, with a
/// null <see cref="Envelope"/>, a stage close.</summary>
internal sealed record HeLogRow(long Seq, uint ClientId, byte[]? Digest, byte[]? Envelope)
{
    public bool IsClose => Envelope is null;
}
