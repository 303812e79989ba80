namespace SecureFed.Transcripts;

/// <summary>A message seen on the wire: direction, the client at the other end, when, and its bytes.</summary>
public sealed record RecordedMessage(TranscriptRecordKind Kind, uint Party, long ElapsedMicroseconds, byte[] Bytes);
