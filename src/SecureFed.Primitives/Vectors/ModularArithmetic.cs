using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace SecureFed.Primitives.Vectors;

/// <summary>Element-wise arithmetic and byte encoding of vectors of integers mod 2^bits (1 &lt;= bits &lt;= 64).</summary>
public static class ModularArithmetic
{
    /// <summary>2^bits - 1 (all ones for 64).</summary>
    public static ulong Mask(int bits) => bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;

    /// <summary>Bytes per encoded element: ceil(bits / 8).</summary>
    public static int ElementBytes(int bits) => (bits + 7) / 8;

    /// <summary>Throws unless 1 &lt;= bits &lt;= 64.</summary>
    public static void ValidateBits(int bits)
    {
        if (bits is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be between 1 and 64");
        }
    }

    /// <summary>acc[i] = acc[i] + x[i] mod 2^bits (vectorised).</summary>
    public static void AddInPlace(Span<ulong> acc, ReadOnlySpan<ulong> x, int bits)
    {
        if (acc.Length != x.Length)
        {
            throw new ArgumentException($"length mismatch: {acc.Length} vs {x.Length}", nameof(x));
        }
        ulong mask = Mask(bits);
        int i = 0;
        if (Vector.IsHardwareAccelerated && acc.Length >= Vector<ulong>.Count)
        {
            var m = new Vector<ulong>(mask);
            Span<Vector<ulong>> va = MemoryMarshal.Cast<ulong, Vector<ulong>>(acc);
            ReadOnlySpan<Vector<ulong>> vx = MemoryMarshal.Cast<ulong, Vector<ulong>>(x);
            for (int v = 0; v < va.Length; v++)
            {
                va[v] = (va[v] + vx[v]) & m;
            }
            i = va.Length * Vector<ulong>.Count;
        }
        for (; i < acc.Length; i++)
        {
            acc[i] = (acc[i] + x[i]) & mask;
        }
    }

    /// <summary>Encodes elements as ceil(bits/8)-byte little-endian integers, concatenated.</summary>
    /// <exception cref="ArgumentException">An element is not below 2^bits.</exception>
    public static byte[] Encode(ReadOnlySpan<ulong> values, int bits)
    {
        ValidateBits(bits);
        int eb = ElementBytes(bits);
        ulong mask = Mask(bits);
        var bytes = new byte[values.Length * eb];
        if (BitConverter.IsLittleEndian && eb is 4 or 8)
        {
            // Whole-word layouts: narrow (or copy) in one pass, then check the range in one pass.
            ulong high = 0;
            foreach (ulong v in values)
            {
                high |= v & ~mask;
            }
            if (high != 0)
            {
                throw new ArgumentException($"an element is not below 2^{bits}", nameof(values));
            }
            if (eb == 8)
            {
                MemoryMarshal.AsBytes(values).CopyTo(bytes);
            }
            else
            {
                Span<uint> narrow = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan());
                for (int i = 0; i < values.Length; i++)
                {
                    narrow[i] = (uint)values[i];
                }
            }
            return bytes;
        }
        Span<byte> tmp = stackalloc byte[8];
        for (int i = 0; i < values.Length; i++)
        {
            if ((values[i] & ~mask) != 0)
            {
                throw new ArgumentException($"element {i} is not below 2^{bits}", nameof(values));
            }
            BinaryPrimitives.WriteUInt64LittleEndian(tmp, values[i]);
            tmp[..eb].CopyTo(bytes.AsSpan(i * eb, eb));
        }
        return bytes;
    }

    /// <summary>
    /// Decodes <paramref name="bytes"/> into <paramref name="destination"/>; false when the byte count is wrong
    /// or an element is not below 2^bits.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, int bits, Span<ulong> destination)
    {
        ValidateBits(bits);
        int eb = ElementBytes(bits);
        if (bytes.Length != destination.Length * eb)
        {
            return false;
        }
        ulong mask = Mask(bits);
        if (BitConverter.IsLittleEndian && eb is 4 or 8)
        {
            if (eb == 8)
            {
                MemoryMarshal.Cast<byte, ulong>(bytes).CopyTo(destination);
            }
            else
            {
                ReadOnlySpan<uint> wide = MemoryMarshal.Cast<byte, uint>(bytes);
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = wide[i];
                }
            }
            ulong high = 0;
            foreach (ulong v in destination)
            {
                high |= v & ~mask;
            }
            return high == 0;
        }
        Span<byte> tmp = stackalloc byte[8];
        tmp.Clear();
        for (int i = 0; i < destination.Length; i++)
        {
            bytes.Slice(i * eb, eb).CopyTo(tmp);
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(tmp);
            if ((v & ~mask) != 0)
            {
                return false;
            }
            destination[i] = v;
        }
        return true;
    }
}
