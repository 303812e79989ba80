using MessagePack;

namespace SecureFed.Transcripts;

/// <summary>Payload of the result record: what the aggregator published (protocol-spec/transcript.md, "Result").</summary>
[MessagePackObject]
public sealed class TranscriptResult
{
    /// <summary>True when the round completed and <see cref="Sums"/> holds the output.</summary>
    [Key(0)]
    public bool Completed { get; set; }

    /// <summary>One sum per configured vector, in the wire encoding of masked inputs (little-endian elements).</summary>
    [Key(1)]
    public byte[][] Sums { get; set; } = [];

    /// <summary>U3: the clients whose inputs are summed, ascending.</summary>
    [Key(2)]
    public uint[] Survivors { get; set; } = [];

    /// <summary>U2 \ U3: clients whose pairwise masks were removed, ascending.</summary>
    [Key(3)]
    public uint[] Dropped { get; set; } = [];

    /// <summary>The server's abort reason (wire value), 0 when it completed.</summary>
    [Key(4)]
    public int AbortReason { get; set; }

    /// <summary>Abort detail (never secret), empty when it completed.</summary>
    [Key(5)]
    public string AbortDetail { get; set; } = "";

    /// <summary>The epsilon the aggregator claims this round spent (NaN without DP).</summary>
    [Key(6)]
    public double ClaimedEpsilon { get; set; } = double.NaN;
}
