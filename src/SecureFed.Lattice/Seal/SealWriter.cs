using System.Buffers.Binary;

namespace SecureFed.Lattice.Seal;

/// <summary>Writes SEAL members into a buffer of known size (every object here has a size fixed by its parameters).</summary>
internal ref struct SealWriter(Span<byte> destination)
{
    private readonly Span<byte> _data = destination;
    private int _position;

    public void U8(byte value) => Take(1)[0] = value;

    public void U64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);

    public void F64(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), value);

    /// <summary>A nested, uncompressed Modulus object: header and its u64 value (24 bytes).</summary>
    public void Modulus(ulong value)
    {
        Header(SealHeader.ByteCount + 8);
        U64(value);
    }

    /// <summary>A nested, uncompressed DynArray&lt;u64&gt;: header, u64 count, then the words.</summary>
    public void Words(ReadOnlySpan<ulong> first, ReadOnlySpan<ulong> second = default)
    {
        long count = first.Length + second.Length;
        Header(SealHeader.ByteCount + 8 + 8 * count);
        U64((ulong)count);
        foreach (ulong w in first)
        {
            U64(w);
        }
        foreach (ulong w in second)
        {
            U64(w);
        }
    }

    public static int WordsSize(long count) => checked((int)(SealHeader.ByteCount + 8 + 8 * count));

    private void Header(long size) =>
        new SealHeader(SealHeader.Major, SealHeader.Minor, SealComprMode.None, (ulong)size).Write(Take(SealHeader.ByteCount));

    private Span<byte> Take(int count)
    {
        var s = _data.Slice(_position, count);
        _position += count;
        return s;
    }
}
