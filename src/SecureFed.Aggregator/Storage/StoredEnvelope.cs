namespace SecureFed.Aggregator.Storage;

/// <summary>An accepted client message: its digest always, its bytes except in R2 (where only the running sum is kept).</summary>
internal sealed record StoredEnvelope(int Stage, uint ClientId, byte[] Digest, byte[]? Envelope);
