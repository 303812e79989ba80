using MessagePack;

namespace SecureFed.Transcripts;

/// <summary>The signed part of one record, a MessagePack array (protocol-spec/transcript.md, "Record body").</summary>
[MessagePackObject]
public sealed class TranscriptRecordBody
{
    /// <summary>Format version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = TranscriptFormat.Version;

    /// <summary>Position of the record in the file, from 0.</summary>
    [Key(1)]
    public ulong Sequence { get; set; }

    /// <summary>What the payload holds.</summary>
    [Key(2)]
    public TranscriptRecordKind Kind { get; set; }

    /// <summary>The client the message came from (client to server) or went to (server to client); 0 otherwise.</summary>
    [Key(3)]
    public uint Party { get; set; }

    /// <summary>Microseconds since the round started, as the aggregator's clock saw the message (informational).</summary>
    [Key(4)]
    public long ElapsedMicroseconds { get; set; }

    /// <summary>The previous record's hash (32 zero bytes for the header).</summary>
    [Key(5)]
    public byte[] PreviousHash { get; set; } = [];

    /// <summary>The wire bytes of the message, or the header, result or end payload.</summary>
    [Key(6)]
    public byte[] Payload { get; set; } = [];
}
