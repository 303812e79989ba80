using System.Buffers.Binary;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Little-endian bit packing: value j occupies bits [j*w, (j+1)*w) of the byte string, bit 0 of a byte being its
/// least significant bit. With N a multiple of 8 every packed row is a whole number of bytes (no padding).
/// Both directions move whole 64-bit words (a 128-bit shift per value cost a third of an upload's encryption).
/// Public for the HE round's wire format, which packs its polynomials exactly like a ciphertext component.
/// </summary>
public static class BitPacking
{
    /// <summary>Bytes of <paramref name="count"/> values packed at <paramref name="width"/> bits.</summary>
    public static int PackedSize(int count, int width) => (int)(((long)count * width + 7) / 8);

    /// <summary>Packs values below 2^<paramref name="width"/> (1 &lt;= width &lt;= 64); writes exactly <see cref="PackedSize"/> bytes.</summary>
    public static void Pack(ReadOnlySpan<ulong> values, int width, Span<byte> destination)
    {
        ulong acc = 0;
        int bits = 0; // bits of acc in use, always < 64 between values
        int pos = 0;
        foreach (ulong v in values)
        {
            acc |= v << bits;
            bits += width;
            if (bits >= 64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(pos, 8), acc);
                pos += 8;
                bits -= 64;
                // The bits of v that did not fit (none when bits is 0; C# masks a shift by 64 to 0).
                acc = bits == 0 ? 0 : v >> (width - bits);
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
    /// <exception cref="HeFormatException">A value is not below <paramref name="bound"/>.</exception>
    public static void Unpack(ReadOnlySpan<byte> source, int width, ulong bound, Span<ulong> values)
    {
        if (!TryUnpack(source, width, bound, values))
        {
            throw new HeFormatException("a packed coefficient is not below its modulus");
        }
    }

    /// <summary>Unpacks <paramref name="values"/>.Length values of <paramref name="width"/> bits (1 &lt;= width &lt;= 64)
    /// from <paramref name="source"/> (missing bytes read as zero); false when one is not below <paramref name="bound"/>.</summary>
    public static bool TryUnpack(ReadOnlySpan<byte> source, int width, ulong bound, Span<ulong> values)
    {
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        ulong acc = 0;
        int bits = 0; // unread bits in acc
        int pos = 0;
        ulong largest = 0;
        for (int j = 0; j < values.Length; j++)
        {
            ulong v;
            if (bits >= width)
            {
                v = acc & mask;
                acc = width == 64 ? 0 : acc >> width;
                bits -= width;
            }
            else
            {
                ulong next;
                int available;
                if (source.Length - pos >= 8)
                {
                    next = BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(pos, 8));
                    available = 64;
                    pos += 8;
                }
                else
                {
                    next = 0;
                    available = 0;
                    while (pos < source.Length && available < 64)
                    {
                        next |= (ulong)source[pos++] << available;
                        available += 8;
                    }
                }
                int used = width - bits; // 1..64 bits taken from next
                v = (acc | (bits == 0 ? next : next << bits)) & mask;
                acc = used == 64 ? 0 : next >> used;
                bits = available - used;
            }
            largest = Math.Max(largest, v);
            values[j] = v;
        }
        return largest < bound;
    }
}
