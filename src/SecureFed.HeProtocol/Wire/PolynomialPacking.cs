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
                BitPacking.Pack(poly.Span.Slice(i * n, n), w, output.AsSpan(pos, n * w / 8));
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
                if (!BitPacking.TryUnpack(data.Slice(pos, n * w / 8), w, p.Primes[i], result[k].AsSpan(i * n, n)))
                {
                    throw new MalformedMessageException($"{field} holds a residue not below its prime");
                }
                pos += n * w / 8;
            }
        }
        return result;
    }

    private static int Width(ulong prime) => 64 - BitOperations.LeadingZeroCount(prime);
}
