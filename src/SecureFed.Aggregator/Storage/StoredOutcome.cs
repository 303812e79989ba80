using MessagePack;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// How a round ended, as the rounds table's <c>outcome</c> column keeps it (MessagePack array, protocol-spec/transport.md
/// section 7): the result or the abort, and the message later polls are answered with.
/// </summary>
[MessagePackObject]
public sealed class StoredOutcome
{
    /// <summary>Per-vector sums when completed.</summary>
    [Key(0)]
    public ulong[][]? Sums { get; set; }

    /// <summary>Clients in the sums.</summary>
    [Key(1)]
    public uint[] Survivors { get; set; } = [];

    /// <summary>Clients that took part but are not in the sums.</summary>
    [Key(2)]
    public uint[] Dropped { get; set; } = [];

    /// <summary>HE: decryption attempts used.</summary>
    [Key(3)]
    public int? Attempts { get; set; }

    /// <summary>When aborted: the scheme's reason code.</summary>
    [Key(4)]
    public int? AbortReason { get; set; }

    /// <summary>When aborted: the reason's name.</summary>
    [Key(5)]
    public string? AbortReasonName { get; set; }

    /// <summary>When aborted: why, in words.</summary>
    [Key(6)]
    public string? AbortDetail { get; set; }

    /// <summary>The message every later poll is answered with, if the scheme sends one.</summary>
    [Key(7)]
    public byte[]? FinalMessage { get; set; }

    /// <summary>
    /// Masking: the SecAgg+ graph seed (hex) the round fixed when R0 closed, which only the live server knows; kept so
    /// the status of a round served from the database after it left memory still shows it. Null for HE rounds.
    /// </summary>
    [Key(8)]
    public string? GraphSeed { get; set; }

    internal static byte[] Encode(RoundEnd end, string? graphSeed = null) => MessageCodec.Encode(new StoredOutcome
    {
        GraphSeed = graphSeed,
        Sums = end.Result is { } r ? [.. r.Sums] : null,
        Survivors = end.Result is { } s ? [.. s.Survivors] : [],
        Dropped = end.Result is { } d ? [.. d.Dropped] : [],
        Attempts = end.Result?.Attempts,
        AbortReason = end.Abort?.Reason,
        AbortReasonName = end.Abort?.ReasonName,
        AbortDetail = end.Abort?.Detail,
        FinalMessage = end.FinalMessage,
    });

    /// <exception cref="MalformedMessageException">The stored bytes are not an outcome.</exception>
    internal static string? GraphSeedOf(byte[] bytes) => MessageCodec.Decode<StoredOutcome>(bytes, int.MaxValue).GraphSeed;

    /// <exception cref="MalformedMessageException">The stored bytes are not an outcome.</exception>
    internal static RoundEnd Decode(byte[] bytes)
    {
        StoredOutcome o = MessageCodec.Decode<StoredOutcome>(bytes, int.MaxValue);
        return o.Sums is { } sums
            ? new RoundEnd(new RoundResult(sums, o.Survivors, o.Dropped, o.Attempts), null, o.FinalMessage)
            : new RoundEnd(null, new RoundAbort(o.AbortReason ?? 0, o.AbortReasonName ?? "", o.AbortDetail ?? ""), o.FinalMessage);
    }
}
