namespace SecureFed.Aggregator.Storage;

/// <summary>
/// One message of a round's transcript as stored: kind (the transcript's record kind: 1 client to server, 2 server to
/// client), the client at the other end, the service's clock in Unix milliseconds, and the wire bytes.
/// </summary>
internal sealed record TranscriptEntry(int Kind, uint Party, long AtMs, byte[] Payload);
