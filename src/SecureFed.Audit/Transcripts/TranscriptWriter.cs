using System.Buffers.Binary;
using System.Globalization;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Transcripts;

/// <summary>
/// Writes a transcript (protocol-spec/transcript.md): the magic, a header record, one record per message, the result
/// and an end record; each record carries the previous record's hash and is signed by the aggregator.
/// </summary>
public static class TranscriptWriter
{
    /// <summary>
    /// Writes the transcript of one round to <paramref name="output"/>. <paramref name="createdUtc"/> overrides the
    /// header's informational creation time (test vectors fix it).
    /// </summary>
    public static void Write(Stream output, RoundConfiguration configuration, IReadOnlyList<RecordedMessage> messages,
        TranscriptResult result, DpRoundRecord? dp, IdentityKeyPair aggregator, string? createdUtc = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(aggregator);
        var header = new TranscriptHeader
        {
            AggregatorKey = aggregator.PublicKey.Bytes.ToArray(),
            Configuration = MessageCodec.EncodeConfiguration(configuration),
            Dp = dp,
            CreatedUtc = createdUtc ?? DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };
        output.Write(TranscriptFormat.Magic);
        var previous = new byte[TranscriptFormat.HashSize];
        ulong sequence = 0;
        long last = 0;
        void Append(TranscriptRecordKind kind, uint party, long micros, byte[] payload)
        {
            var body = new TranscriptRecordBody
            {
                Sequence = sequence++, Kind = kind, Party = party, ElapsedMicroseconds = micros, PreviousHash = previous, Payload = payload,
            };
            byte[] encoded = MessageCodec.Encode(body);
            Span<byte> prefix = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)encoded.Length);
            output.Write(prefix);
            output.Write(encoded);
            previous = TranscriptFormat.RecordHash(encoded);
            output.Write(aggregator.Sign(TranscriptFormat.SigningInput(previous)));
        }
        Append(TranscriptRecordKind.Header, 0, 0, MessageCodec.Encode(header));
        foreach (RecordedMessage m in messages)
        {
            last = Math.Max(last, m.ElapsedMicroseconds);
            Append(m.Kind, m.Party, m.ElapsedMicroseconds, m.Bytes);
        }
        Append(TranscriptRecordKind.Result, 0, last, MessageCodec.Encode(result));
        var end = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(end, sequence); // records before the end record
        Append(TranscriptRecordKind.End, 0, last, end);
    }
}
