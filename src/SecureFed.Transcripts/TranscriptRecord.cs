namespace SecureFed.Transcripts;

/// <summary>One record as read from a file: its decoded body, its hash and the aggregator's signature over it.</summary>
public sealed class TranscriptRecord
{
    internal TranscriptRecord(TranscriptRecordBody body, byte[] hash, byte[] signature, long offset, int size)
    {
        Body = body;
        Hash = hash;
        Signature = signature;
        Offset = offset;
        Size = size;
    }

    /// <summary>The decoded body.</summary>
    public TranscriptRecordBody Body { get; }

    /// <summary>SHA-256 over the record label and the body bytes.</summary>
    public byte[] Hash { get; }

    /// <summary>The aggregator's Ed25519 signature.</summary>
    public byte[] Signature { get; }

    /// <summary>Byte offset of the record's length prefix in the file.</summary>
    public long Offset { get; }

    /// <summary>Bytes the record takes in the file (prefix, body and signature).</summary>
    public int Size { get; }

    /// <summary>Shorthand for Body.Kind.</summary>
    public TranscriptRecordKind Kind => Body.Kind;

    /// <summary>Shorthand for Body.Payload.</summary>
    public byte[] Payload => Body.Payload;
}
