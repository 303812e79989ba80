using System.Buffers.Binary;
using System.Globalization;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;

namespace SecureFed.Transcripts;

// Appends hash-chained, aggregator-signed records to a stream (protocol-spec/transcript.md 1): shared by the masking
// and HE overloads of TranscriptWriter so both produce the same framing byte for byte.
internal sealed class TranscriptChainWriter
{
    private readonly Stream _output;
    private readonly IdentityKeyPair _aggregator;
    private byte[] _previous = new byte[TranscriptFormat.HashSize];
    private ulong _sequence;

    public TranscriptChainWriter(Stream output, IdentityKeyPair aggregator)
    {
        _output = output;
        _aggregator = aggregator;
        output.Write(TranscriptFormat.Magic);
    }

    public static string CreatedNow() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public void Append(TranscriptRecordKind kind, uint party, long micros, byte[] payload)
    {
        var body = new TranscriptRecordBody
        {
            Sequence = _sequence++, Kind = kind, Party = party, ElapsedMicroseconds = micros, PreviousHash = _previous, Payload = payload,
        };
        byte[] encoded = MessageCodec.Encode(body);
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)encoded.Length);
        _output.Write(prefix);
        _output.Write(encoded);
        _previous = TranscriptFormat.RecordHash(encoded);
        _output.Write(_aggregator.Sign(TranscriptFormat.SigningInput(_previous)));
    }

    // A whole transcript of either scheme: the magic, the header (createdUtc null for now), every
    // message in order, the result and the end record (BE64 of the records before it); the result and end carry the
    // last message's time.
    public static void WriteRound(Stream output, IdentityKeyPair aggregator, string scheme, byte[] configuration, DpRoundRecord? dp, string? createdUtc,
        IReadOnlyList<RecordedMessage> messages, byte[] result)
    {
        var header = new TranscriptHeader
        {
            Scheme = scheme, AggregatorKey = aggregator.PublicKey.Bytes.ToArray(), Configuration = configuration, Dp = dp, CreatedUtc = createdUtc ?? CreatedNow(),
        };
        new TranscriptChainWriter(output, aggregator).AppendRound(header, messages, result);
    }

    private void AppendRound(TranscriptHeader header, IReadOnlyList<RecordedMessage> messages, byte[] result)
    {
        Append(TranscriptRecordKind.Header, 0, 0, MessageCodec.Encode(header));
        long last = 0;
        foreach (RecordedMessage m in messages)
        {
            last = Math.Max(last, m.ElapsedMicroseconds);
            Append(m.Kind, m.Party, m.ElapsedMicroseconds, m.Bytes);
        }
        Append(TranscriptRecordKind.Result, 0, last, result);
        var end = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(end, _sequence);
        Append(TranscriptRecordKind.End, 0, last, end);
    }
}
