using System.Buffers;
using MessagePack;

namespace SecureFed.Protocol.Messages;

// A ClientEnvelope's fields with the body and signature as slices of the received bytes: a masked input's envelope is
// hundreds of KB, and decoding it into a ClientEnvelope copies the body once more before the server reads it. Only
// the shape a client writes is read this way ([version, sender, stage, bin body, bin signature], nothing missing,
// extra or nil, nothing after it); anything else is left to the general decoder, so both paths accept and refuse the
// same bytes. Encode writes the bytes MessagePack writes for the envelope, with one copy of the body.
internal readonly struct EnvelopeView
{
    private const int Fields = 5;

    private EnvelopeView(int version, uint senderId, ProtocolStage stage, ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> signature)
    {
        Version = version;
        SenderId = senderId;
        Stage = stage;
        Body = body;
        Signature = signature;
    }

    public int Version { get; }

    public uint SenderId { get; }

    public ProtocolStage Stage { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public ReadOnlyMemory<byte> Signature { get; }

    // The view of a decoded envelope whose body and signature are present.
    public static EnvelopeView Of(ClientEnvelope envelope) =>
        new(envelope.Version, envelope.SenderId, envelope.Stage, envelope.Body, envelope.Signature);

    // Null when the bytes are not an envelope of the canonical shape (the caller then decodes them generally).
    public static EnvelopeView? TryRead(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != Fields ||
                reader.NextMessagePackType != MessagePackType.Integer)
            {
                return null;
            }
            // The same reads the generated formatter makes (ReadInt32, ReadUInt32, ReadByte for the byte enum).
            int version = reader.ReadInt32();
            if (reader.NextMessagePackType != MessagePackType.Integer)
            {
                return null;
            }
            uint sender = reader.ReadUInt32();
            if (reader.NextMessagePackType != MessagePackType.Integer)
            {
                return null;
            }
            var stage = (ProtocolStage)reader.ReadByte();
            if (!TryReadBin(ref reader, bytes, out ReadOnlyMemory<byte> body) || !TryReadBin(ref reader, bytes, out ReadOnlyMemory<byte> signature) ||
                !reader.End)
            {
                return null;
            }
            return new EnvelopeView(version, sender, stage, body, signature);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException or ArgumentException)
        {
            return null; // the general decoder turns the same bytes into its typed refusal
        }
    }

    // MessageCodec.Encode(envelope), byte for byte: the fields as MessagePack writes them, the body copied once into an
    // array that is not zeroed first. Null body or signature (written as nil) go to the general encoder.
    public static byte[]? TryEncode(ClientEnvelope envelope)
    {
        if (envelope.Body is not { } body || envelope.Signature is not { } signature)
        {
            return null;
        }
        var head = new FixedBufferWriter(new byte[32]);
        var writer = new MessagePackWriter(head);
        writer.WriteArrayHeader(Fields);
        writer.Write(envelope.Version);
        writer.Write(envelope.SenderId);
        writer.Write((byte)envelope.Stage);
        writer.WriteBinHeader(body.Length);
        writer.Flush();
        int headLength = head.Written;
        var tail = new FixedBufferWriter(new byte[8]);
        writer = new MessagePackWriter(tail);
        writer.WriteBinHeader(signature.Length);
        writer.Flush();
        byte[] bytes = GC.AllocateUninitializedArray<byte>(headLength + body.Length + tail.Written + signature.Length);
        Span<byte> s = bytes;
        head.WrittenSpan.CopyTo(s);
        s = s[headLength..];
        body.CopyTo(s);
        s = s[body.Length..];
        tail.WrittenSpan.CopyTo(s);
        signature.CopyTo(s[tail.Written..]);
        return bytes;
    }

    // The bin's bytes as a slice of the message (one contiguous buffer, so the reader's position is an offset into it).
    internal static bool TryReadBin(ref MessagePackReader reader, ReadOnlyMemory<byte> bytes, out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (reader.NextMessagePackType != MessagePackType.Binary)
        {
            return false;
        }
        ReadOnlySequence<byte>? bin = reader.ReadBytes();
        if (bin is not { } b)
        {
            return false;
        }
        int end = (int)reader.Consumed;
        value = bytes.Slice(end - (int)b.Length, (int)b.Length);
        return true;
    }
}

// An IBufferWriter over one array that never grows: MessagePackWriter writes headers straight into a buffer sized in
// advance. MessagePack asks for more than a header needs (a bin header asks room for its payload too), so what is
// left is handed out whatever the hint (empty when full); writing past the end is a bug and throws (Advance, or the
// span's bounds).
internal sealed class FixedBufferWriter(byte[] buffer) : IBufferWriter<byte>
{
    public int Written { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => buffer.AsSpan(0, Written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - Written);
        Written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Rest(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Rest(sizeHint).Span;

    private Memory<byte> Rest(int sizeHint)
    {
        _ = sizeHint;
        return buffer.AsMemory(Written);
    }
}
