using System.Buffers.Binary;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Little-endian bit packing: value j occupies bits [j*w, (j+1)*w) of the byte string, bit 0 of a byte being its
/// least significant bit. With N a multiple of 8 every packed row is a whole number of bytes (no padding).
/// </summary>
internal static class BitPacking
{
    public static int PackedSize(int count, int width) => (int)(((long)count * width + 7) / 8);

    public static void Pack(ReadOnlySpan<ulong> values, int width, Span<byte> destination)
    {
        UInt128 acc = 0;
        int bits = 0;
        int pos = 0;
        foreach (ulong v in values)
        {
            acc |= (UInt128)v << bits;
            bits += width;
            if (bits >= 64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(pos, 8), (ulong)acc);
                pos += 8;
                acc >>= 64;
                bits -= 64;
            }
        }
        while (bits > 0)
        {
            destination[pos++] = (byte)acc;
            acc >>= 8;
            bits -= 8;
        }
    }

    /// <summary>Unpacks and checks every value is below <paramref name="bound"/>.</summary>
    public static void Unpack(ReadOnlySpan<byte> source, int width, ulong bound, Span<ulong> values)
    {
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        UInt128 acc = 0;
        int bits = 0;
        int pos = 0;
        ulong largest = 0;
        for (int j = 0; j < values.Length; j++)
        {
            if (bits < width)
            {
                if (source.Length - pos >= 8)
                {
                    acc |= (UInt128)BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(pos, 8)) << bits;
                    pos += 8;
                    bits += 64;
                }
                else
                {
                    while (bits < width)
                    {
                        acc |= (UInt128)source[pos++] << bits;
                        bits += 8;
                    }
                }
            }
            ulong v = (ulong)acc & mask;
            acc >>= width;
            bits -= width;
            largest = Math.Max(largest, v);
            values[j] = v;
        }
        if (largest >= bound)
        {
            throw new HeFormatException("a packed coefficient is not below its modulus");
        }
    }
}
