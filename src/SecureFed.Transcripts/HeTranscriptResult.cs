using MessagePack;
using SecureFed.HeProtocol.Server;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Transcripts;

/// <summary>Payload of the result record of an HE round: what the aggregator published (protocol-spec/transcript.md, "HE result").</summary>
[MessagePackObject]
public sealed class HeTranscriptResult
{
    /// <summary>Bytes per value of <see cref="Sum"/>: every value is a uint64 (the sum mod 2^Bits).</summary>
    public const int BytesPerValue = 8;

    /// <summary>True when the round completed and <see cref="Sum"/> holds the decrypted sum.</summary>
    [Key(0)]
    public bool Completed { get; set; }

    /// <summary>The server's abort reason (HeAbortReason wire value), 0 when it completed.</summary>
    [Key(1)]
    public int AbortReason { get; set; }

    /// <summary>Abort detail (never secret), empty when it completed.</summary>
    [Key(2)]
    public string AbortDetail { get; set; } = "";

    /// <summary>The plaintext sum: VectorLength values, 8 bytes little-endian each; empty when aborted.</summary>
    [Key(3)]
    public byte[] Sum { get; set; } = [];

    /// <summary>The clients whose uploads are in the sum, ascending; empty when aborted.</summary>
    [Key(4)]
    public uint[] Contributors { get; set; } = [];

    /// <summary>Decryption attempts the server made (0 when it aborted before H3).</summary>
    [Key(5)]
    public int Attempts { get; set; }

    /// <summary>How the sum was checked against bad decryption shares (HeDecryptionCheck wire value; 0 = unverified or aborted).</summary>
    [Key(6)]
    public int Check { get; set; }

    /// <summary>Decryptors (client ids, ascending) excluded for a bad decryption share.</summary>
    [Key(7)]
    public uint[] ExcludedDecryptors { get; set; } = [];

    /// <summary>The epsilon the aggregator claims for this round under the header's DP record (NaN without DP or when aborted).</summary>
    [Key(8)]
    public double ClaimedEpsilon { get; set; } = double.NaN;

    /// <summary>The published outcome of a server in its terminal state (completed or aborted).</summary>
    /// <exception cref="ArgumentException">The server has not finished the round.</exception>
    public static HeTranscriptResult From(HeServerState final, int attempts)
    {
        ArgumentNullException.ThrowIfNull(final);
        return final switch
        {
            HeServerCompletedState done => new HeTranscriptResult
            {
                Completed = true, Sum = EncodeSum(done.Result.Sum), Contributors = [.. done.Result.Contributors], Attempts = done.Attempts,
                Check = (int)done.Result.Check, ExcludedDecryptors = [.. done.Result.ExcludedDecryptors ?? []],
            },
            HeServerAbortedState aborted => new HeTranscriptResult
            {
                Completed = false, AbortReason = (int)aborted.Reason, AbortDetail = aborted.Detail, Attempts = attempts,
            },
            _ => throw new ArgumentException($"the server is still in state {final.Name}; only a finished round has a result", nameof(final)),
        };
    }

    /// <summary>Encodes sum values as 8 bytes little-endian each (the 64-bit layout of ModularArithmetic.Encode).</summary>
    public static byte[] EncodeSum(ReadOnlySpan<ulong> values) => ModularArithmetic.Encode(values, 8 * BytesPerValue);

    /// <summary>Decodes <see cref="Sum"/> into values.</summary>
    /// <exception cref="TranscriptFormatException">The length is not a multiple of 8.</exception>
    public ulong[] DecodeSum()
    {
        byte[] sum = Sum ?? [];
        var values = new ulong[sum.Length / BytesPerValue];
        return ModularArithmetic.TryDecode(sum, 8 * BytesPerValue, values)
            ? values
            : throw new TranscriptFormatException($"HE result: Sum has {sum.Length} bytes, not a multiple of {BytesPerValue}");
    }
}
