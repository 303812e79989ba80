using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// Distributions over ring elements, drawing bytes from an <see cref="IRandomSource"/> in the exact order
/// protocol-spec/he.md fixes (so seeded runs and test vectors are reproducible):
/// ternary = one byte per try, rejected when 255, value (b mod 3) - 1;
/// error = centered binomial CBD(21) from 6 bytes per coefficient, read as a 48-bit little-endian w:
/// popcount(w &amp; 0x1FFFFF) - popcount((w &gt;&gt; 21) &amp; 0x1FFFFF), variance 21/2 (sigma 3.24, the
/// standard's 3.2 rounded up), bounded by 21 with no floating point;
/// uniform mod p = 8-byte little-endian words masked to bitlen(p) bits, rejected when &gt;= p.
/// </summary>
internal static class Samplers
{
    /// <summary>CBD parameter: variance Eta/2 = 10.5, i.e. sigma = 3.24 &gt;= 3.2 (HE standard).</summary>
    public const int Eta = 21;

    /// <summary>Largest magnitude an error coefficient can take.</summary>
    public const int ErrorBound = Eta;

    /// <summary>Variance of one error coefficient (Eta / 2).</summary>
    public const double ErrorVariance = Eta / 2.0;

    /// <summary>Variance of one ternary coefficient (P(-1) = P(1) = 1/3).</summary>
    public const double TernaryVariance = 2.0 / 3.0;

    public static void Ternary(IRandomSource random, Span<sbyte> destination)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(destination.Length + 64);
        try
        {
            int filled = 0;
            while (filled < destination.Length)
            {
                Span<byte> chunk = buffer.AsSpan(0, destination.Length - filled);
                random.Fill(chunk);
                foreach (byte b in chunk)
                {
                    if (b != 255)
                    {
                        destination[filled++] = (sbyte)((b % 3) - 1);
                    }
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void CenteredBinomial(IRandomSource random, Span<sbyte> destination)
    {
        const int Batch = 512;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Batch * 8);
        try
        {
            for (int start = 0; start < destination.Length; start += Batch)
            {
                int count = Math.Min(Batch, destination.Length - start);
                Span<byte> bytes = buffer.AsSpan(0, count * 6 + 2);
                random.Fill(bytes[..(count * 6)]);
                bytes[count * 6] = 0;
                bytes[count * 6 + 1] = 0;
                for (int j = 0; j < count; j++)
                {
                    // 8-byte read at 6j: the top 16 bits belong to the next sample and are masked off below.
                    ulong w = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(j * 6, 8));
                    destination[start + j] = (sbyte)(BitOperations.PopCount(w & 0x1FFFFF) - BitOperations.PopCount((w >> 21) & 0x1FFFFF));
                }
            }
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Batch * 8));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with uniform residues mod p.</summary>
    public static void Uniform(IRandomSource random, Span<ulong> destination, ulong p)
    {
        ulong mask = p == 1 ? 0 : ulong.MaxValue >> BitOperations.LeadingZeroCount(p - 1);
        const int Batch = 512;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Batch * 8);
        try
        {
            int filled = 0;
            while (filled < destination.Length)
            {
                int want = Math.Min(Batch, destination.Length - filled);
                Span<byte> bytes = buffer.AsSpan(0, want * 8);
                random.Fill(bytes);
                for (int j = 0; j < want; j++)
                {
                    ulong w = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(j * 8, 8)) & mask;
                    if (w < p)
                    {
                        destination[filled++] = w;
                    }
                }
            }
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Batch * 8));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
