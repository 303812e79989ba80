using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using MessagePack;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Messages;

// The R2 body (MaskedInput) without its intermediate arrays: a client writes its masked vectors' element encoding
// straight into the body (MessageCodec.Encode(new MaskedInput { Vectors = [.. encodings] }), byte for byte, without an
// array per encoded vector and a second copy of them all), and the server reads the vectors as slices of the body.
// The reader takes only the shape the writer makes ([1-byte-or-wider int version, [bin, ...]], nothing nil, missing,
// extra or after it); anything else goes to the general decoder, so both paths accept and refuse the same bytes.
internal static class MaskedInputWire
{
    // Writes vector `index`'s element encoding (ModularArithmetic.Encode's bytes) into `destination`, exactly its length.
    public delegate void VectorEncoder(int index, ulong[] vector, Span<byte> destination);

    // The body of version 1 for the masked vectors (each element below 2^bits of its spec, as masking leaves them).
    public static byte[] Write(ulong[][] vectors, IReadOnlyList<VectorSpec> specs) =>
        Write(vectors, specs, (j, vector, destination) => EncodeInto(vector, specs[j].Bits, destination));

    // Writes vector `index`'s encoding into `destination` as VectorEncoder does; true when it also appended those bytes,
    // in order, to the digest given to Write (the seed set hashes each chunk as it writes it), false to leave that to Write.
    public delegate bool DigestingVectorEncoder(int index, ulong[] vector, Span<byte> destination);

    // The same body, each vector's encoding written by `encode` (a client masks straight into it).
    public static byte[] Write(ulong[][] vectors, IReadOnlyList<VectorSpec> specs, VectorEncoder encode) =>
        Write(vectors, specs, null, (j, vector, destination) =>
        {
            encode(j, vector, destination);
            return false;
        });

    // The same body, with SHA-256 of all of it (the envelope's body digest, secagg.md 2.2) in `digest` when this returns:
    // the headers are appended here, each vector's encoding by `encode` while it writes it or else here after it.
    public static byte[] Write(ulong[][] vectors, IReadOnlyList<VectorSpec> specs, IncrementalHash? digest, DigestingVectorEncoder encode)
    {
        int count = vectors.Length;
        long size = 2 + ArrayHeaderSize(count); // [version 1 (fixint), [...]]
        for (int j = 0; j < count; j++)
        {
            long bytes = (long)vectors[j].Length * ModularArithmetic.ElementBytes(specs[j].Bits);
            size += BinHeaderSize(bytes) + bytes;
        }
        if (size > Array.MaxLength)
        {
            throw new ArgumentException($"a masked input of {size} bytes does not fit one message", nameof(vectors));
        }
        byte[] body = GC.AllocateUninitializedArray<byte>((int)size);
        var output = new FixedBufferWriter(body);
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(2);
        writer.Write(1);
        writer.WriteArrayHeader(count);
        writer.Flush();
        int digested = 0; // bytes of the body appended to the digest so far
        for (int j = 0; j < count; j++)
        {
            int bytes = vectors[j].Length * ModularArithmetic.ElementBytes(specs[j].Bits);
            writer = new MessagePackWriter(output); // a writer takes its buffer when made: one per header, never at the end
            writer.WriteBinHeader(bytes);
            writer.Flush();
            Span<byte> destination = body.AsSpan(output.Written, bytes);
            if (digest is null)
            {
                encode(j, vectors[j], destination);
            }
            else
            {
                digest.AppendData(body.AsSpan(digested, output.Written - digested)); // the headers before this vector
                if (!encode(j, vectors[j], destination))
                {
                    digest.AppendData(destination);
                }
                digested = output.Written + bytes;
            }
            output.Advance(bytes);
        }
        if (output.Written != body.Length)
        {
            throw new InvalidOperationException($"wrote {output.Written} bytes of a {body.Length}-byte masked input");
        }
        digest?.AppendData(body.AsSpan(digested)); // the headers when there is no vector
        return body;
    }

    // The version and each vector's bytes as slices of the body; false when the body is not of the canonical shape.
    public static bool TryRead(ReadOnlyMemory<byte> body, out int version, out ReadOnlyMemory<byte>[] vectors)
    {
        version = 0;
        vectors = [];
        try
        {
            var reader = new MessagePackReader(body);
            if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != 2 ||
                reader.NextMessagePackType != MessagePackType.Integer)
            {
                return false;
            }
            int v = reader.ReadInt32();
            if (reader.NextMessagePackType != MessagePackType.Array)
            {
                return false;
            }
            int count = reader.ReadArrayHeader();
            if (count > body.Length - (int)reader.Consumed)
            {
                return false; // more vectors claimed than the bytes can hold (each takes at least one)
            }
            var read = new ReadOnlyMemory<byte>[count];
            for (int j = 0; j < count; j++)
            {
                if (!EnvelopeView.TryReadBin(ref reader, body, out read[j]))
                {
                    return false;
                }
            }
            if (!reader.End)
            {
                return false;
            }
            version = v;
            vectors = read;
            return true;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    // ModularArithmetic.Encode's bytes into `destination` (elements already below 2^bits).
    public static void EncodeInto(ReadOnlySpan<ulong> values, int bits, Span<byte> destination)
    {
        int eb = ModularArithmetic.ElementBytes(bits);
        if (BitConverter.IsLittleEndian && eb == 8)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
        }
        else if (BitConverter.IsLittleEndian && eb == 4)
        {
            Span<uint> narrow = MemoryMarshal.Cast<byte, uint>(destination);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                ref ulong v = ref MemoryMarshal.GetReference(values);
                ref uint d = ref MemoryMarshal.GetReference(narrow);
                for (; i + 8 <= values.Length; i += 8)
                {
                    Vector256.Narrow(Vector256.LoadUnsafe(ref v, (nuint)i), Vector256.LoadUnsafe(ref v, (nuint)i + 4)).StoreUnsafe(ref d, (nuint)i);
                }
            }
            for (; i < values.Length; i++)
            {
                narrow[i] = (uint)values[i];
            }
        }
        else
        {
            ModularArithmetic.Encode(values, bits).CopyTo(destination);
        }
    }

    private static int ArrayHeaderSize(int count) => count <= 15 ? 1 : count <= ushort.MaxValue ? 3 : 5;

    private static int BinHeaderSize(long length) => length <= byte.MaxValue ? 2 : length <= ushort.MaxValue ? 3 : 5;
}
