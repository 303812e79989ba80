using MessagePack;

namespace SecureFed.Transcripts;

/// <summary>Payload of the header record (protocol-spec/transcript.md, "Header").</summary>
[MessagePackObject]
public sealed class TranscriptHeader
{
    /// <summary>Format version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = TranscriptFormat.Version;

    /// <summary>"masking" (secure aggregation by masking) or "he" (threshold homomorphic encryption, protocol-spec/he.md 10).</summary>
    [Key(1)]
    public string Scheme { get; set; } = MaskingScheme;

    // The Scheme of a masking round (the default: transcripts written before HE rounds carry it).
    internal const string MaskingScheme = "masking";

    /// <summary>The <see cref="Scheme"/> of an HE round.</summary>
    public const string HeScheme = "he";

    /// <summary>The aggregator's Ed25519 public key (32 bytes) that signs every record.</summary>
    [Key(2)]
    public byte[] AggregatorKey { get; set; } = [];

    /// <summary>
    /// Masking: the RoundConfiguration exactly as hashed into the session id (protocol-spec/secagg.md 2.1).
    /// HE: the HeRoundConfiguration exactly as hashed into the configuration hash (protocol-spec/he.md 10).
    /// </summary>
    [Key(3)]
    public byte[] Configuration { get; set; } = [];

    /// <summary>Distributed-DP parameters of the round, or null when the round had no DP.</summary>
    [Key(4)]
    public DpRoundRecord? Dp { get; set; }

    /// <summary>When the transcript was written, ISO 8601 UTC (informational; not checked).</summary>
    [Key(5)]
    public string CreatedUtc { get; set; } = "";
}
