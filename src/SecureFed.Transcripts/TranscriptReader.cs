using System.Buffers.Binary;
using SecureFed.Protocol.Messages;

namespace SecureFed.Transcripts;

/// <summary>
/// Parses the framing of a transcript file: magic, then records of BE32(body length) || body || signature (64). It
/// checks only the framing and the MessagePack shape; the hash chain and signatures are the verifier's checks.
/// </summary>
public static class TranscriptReader
{
    /// <summary>Reads every record of <paramref name="file"/>.</summary>
    /// <exception cref="TranscriptFormatException">Bad magic, a truncated or oversized record, or a malformed body.</exception>
    public static IReadOnlyList<TranscriptRecord> Read(ReadOnlyMemory<byte> file)
    {
        ReadOnlySpan<byte> span = file.Span;
        if (span.Length < TranscriptFormat.Magic.Length || !span[..TranscriptFormat.Magic.Length].SequenceEqual(TranscriptFormat.Magic))
        {
            throw new TranscriptFormatException("not a SecureFed transcript: the file does not start with \"SFTRNS01\"");
        }
        var records = new List<TranscriptRecord>();
        int offset = TranscriptFormat.Magic.Length;
        while (offset < span.Length)
        {
            if (span.Length - offset < 4)
            {
                throw new TranscriptFormatException($"record {records.Count} at byte {offset}: truncated length prefix");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(span[offset..]);
            if (length == 0 || length > TranscriptFormat.MaxBodyBytes)
            {
                throw new TranscriptFormatException($"record {records.Count} at byte {offset}: body length {length} outside [1, {TranscriptFormat.MaxBodyBytes}]");
            }
            int size = 4 + (int)length + TranscriptFormat.SignatureSize;
            if (span.Length - offset < size)
            {
                throw new TranscriptFormatException($"record {records.Count} at byte {offset}: truncated (needs {size} bytes, {span.Length - offset} left)");
            }
            ReadOnlyMemory<byte> body = file.Slice(offset + 4, (int)length);
            TranscriptRecordBody decoded;
            try
            {
                decoded = MessageCodec.Decode<TranscriptRecordBody>(body, (int)length);
            }
            catch (MalformedMessageException e)
            {
                throw new TranscriptFormatException($"record {records.Count} at byte {offset}: {e.Message}", e);
            }
            if (decoded.PreviousHash is null || decoded.Payload is null)
            {
                throw new TranscriptFormatException($"record {records.Count} at byte {offset}: nil previous hash or payload");
            }
            byte[] signature = file.Slice(offset + 4 + (int)length, TranscriptFormat.SignatureSize).ToArray();
            records.Add(new TranscriptRecord(decoded, TranscriptFormat.RecordHash(body.Span), signature, offset, size));
            offset += size;
        }
        return records;
    }
}
