using System.Buffers.Binary;
using System.Numerics;
using SecureFed.Lattice.Bfv;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Wire;

/// <summary>
/// Bit-packs RNS polynomials exactly like a ciphertext component (he.md section 7): for each prime p_i in use, its
/// N residues at w_i = bitlen(p_i) bits, value j at bits [j*w_i, (j+1)*w_i), least significant bit first.
/// </summary>
public static class PolynomialPacking
{
    /// <summary>Bytes of one packed polynomial at <paramref name="level"/> primes.</summary>
    public static int PolynomialBytes(BfvParameters p, int level)
    {
        int bytes = 0;
        for (int i = 0; i < level; i++)
        {
            bytes += p.Degree * Width(p.Primes[i]) / 8; // 8 | N, so no padding
        }
        return bytes;
    }

    /// <summary>Packs <paramref name="polynomials"/> (each level*N residues) one after another.</summary>
    public static byte[] Pack(BfvParameters p, int level, IReadOnlyList<ulong[]> polynomials) =>
        Pack(p, level, [.. polynomials.Select(poly => (ReadOnlyMemory<ulong>)poly)]);

    /// <summary>Packs <paramref name="polynomials"/> (each level*N residues) one after another.</summary>
    public static byte[] Pack(BfvParameters p, int level, IReadOnlyList<ReadOnlyMemory<ulong>> polynomials)
    {
        int per = PolynomialBytes(p, level);
        var output = new byte[per * polynomials.Count];
        int n = p.Degree;
        int pos = 0;
        foreach (var poly in polynomials)
        {
            for (int i = 0; i < level; i++)
            {
                int w = Width(p.Primes[i]);
                PackRow(poly.Span.Slice(i * n, n), w, output.AsSpan(pos, n * w / 8));
                pos += n * w / 8;
            }
        }
        return output;
    }

    /// <summary>Unpacks exactly <paramref name="count"/> polynomials; every residue must be below its prime.</summary>
    /// <exception cref="MalformedMessageException">Wrong length or a residue out of range.</exception>
    public static ulong[][] Unpack(BfvParameters p, int level, int count, ReadOnlySpan<byte> data, string field)
    {
        int per = PolynomialBytes(p, level);
        if (count < 1 || data.Length != (long)per * count)
        {
            throw new MalformedMessageException($"{field} must be {count} x {per} bytes, got {data.Length}");
        }
        int n = p.Degree;
        var result = new ulong[count][];
        int pos = 0;
        for (int k = 0; k < count; k++)
        {
            result[k] = new ulong[level * n];
            for (int i = 0; i < level; i++)
            {
                int w = Width(p.Primes[i]);
                if (!UnpackRow(data.Slice(pos, n * w / 8), w, p.Primes[i], result[k].AsSpan(i * n, n)))
                {
                    throw new MalformedMessageException($"{field} holds a residue not below its prime");
                }
                pos += n * w / 8;
            }
        }
        return result;
    }

    private static int Width(ulong prime) => 64 - BitOperations.LeadingZeroCount(prime);

    // Word at a time (bit by bit, packing the decryption shares of a 10 x 1,000,000 round took longer than computing them).
    private static void PackRow(ReadOnlySpan<ulong> values, int width, Span<byte> destination)
    {
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        ulong acc = 0;
        int bits = 0, pos = 0;
        foreach (ulong value in values)
        {
            ulong v = value & mask;
            acc |= v << bits;
            bits += width;
            if (bits >= 64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(pos, 8), acc);
                pos += 8;
                bits -= 64;
                acc = bits == 0 ? 0 : v >> (width - bits); // the bits of v that did not fit
            }
        }
        for (; bits > 0; bits -= 8, acc >>= 8)
        {
            destination[pos++] = (byte)acc;
        }
    }

    private static bool UnpackRow(ReadOnlySpan<byte> source, int width, ulong bound, Span<ulong> values)
    {
        ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        ulong acc = 0, largest = 0;
        int bits = 0, pos = 0; // bits: unread bits in acc
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
                ulong next = 0;
                int available = 0;
                if (source.Length - pos >= 8)
                {
                    next = BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(pos, 8));
                    available = 64;
                    pos += 8;
                }
                else
                {
                    for (; available < 64 && pos < source.Length; available += 8)
                    {
                        next |= (ulong)source[pos++] << available;
                    }
                }
                int used = width - bits;
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
