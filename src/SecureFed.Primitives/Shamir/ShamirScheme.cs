using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Primitives.Shamir;

/// <summary>
/// Shamir t-out-of-n sharing of a 32-byte secret over GF(2^61 - 1) (protocol-spec/secagg.md, "Shamir sharing").
/// The secret is cut into 5 little-endian chunks of 7, 7, 7, 7 and 4 bytes (each below 2^56 &lt; p); each chunk is
/// the constant term of its own random polynomial of degree t - 1. A share for holder x (1 &lt;= x &lt; p) is the 5
/// evaluations, each 8 bytes little-endian: 40 bytes.
/// </summary>
public static class ShamirScheme
{
    /// <summary>Secret size in bytes.</summary>
    public const int SecretSize = 32;

    /// <summary>Chunks per secret: ceil(32 / 7).</summary>
    public const int Chunks = 5;

    /// <summary>Bytes per chunk (7 bytes = 56 bits &lt; 61).</summary>
    public const int ChunkBytes = 7;

    /// <summary>Encoded share size: 5 field elements of 8 bytes.</summary>
    public const int ShareSize = Chunks * 8;

    /// <summary>
    /// Shares <paramref name="secret"/> among <paramref name="holders"/> (distinct x-coordinates in [1, p)) with
    /// threshold <paramref name="threshold"/>; writes holder i's share to <c>shares[i*40 .. i*40+40)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Bad sizes, threshold out of range or repeated/zero holder ids.</exception>
    public static void Split(ReadOnlySpan<byte> secret, int threshold, ReadOnlySpan<uint> holders, Span<byte> shares, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (secret.Length != SecretSize)
        {
            throw new ArgumentException($"secret must be {SecretSize} bytes", nameof(secret));
        }
        if (threshold < 1 || threshold > holders.Length)
        {
            throw new ArgumentException($"threshold {threshold} must be in [1, {holders.Length}]", nameof(threshold));
        }
        if (shares.Length != holders.Length * ShareSize)
        {
            throw new ArgumentException($"shares must be {holders.Length * ShareSize} bytes", nameof(shares));
        }
        ValidateHolders(holders);

        // coefficients[j * Chunks + c]: coefficient j of chunk c's polynomial; coefficient 0 is the chunk itself. Drawn
        // in the order c-major, j = 1 .. t-1 (the order the spec's vectors fix), each as NextBelow(p) would draw it,
        // but from one bulk Fill: one CSPRNG call instead of one per coefficient.
        int t = threshold;
        ulong[] coefficients = GC.AllocateArray<ulong>(Chunks * t, pinned: true);
        byte[] words = GC.AllocateArray<byte>(Chunks * (t - 1) * 8, pinned: true);
        try
        {
            random.Fill(words);
            int next = 0;
            // NextBelow's rule: accept x <= limit, return x mod p (2^64 mod p = 8, so a rejection has probability 2^-61).
            const ulong Limit = ulong.MaxValue - (ulong.MaxValue % MersenneField.P + 1) % MersenneField.P;
            for (int c = 0; c < Chunks; c++)
            {
                coefficients[c] = ReadChunk(secret, c);
                for (int j = 1; j < t; j++)
                {
                    ulong x;
                    do
                    {
                        x = next < words.Length ? BinaryPrimitives.ReadUInt64LittleEndian(words.AsSpan(next)) : random.NextUInt64();
                        next += 8;
                    }
                    while (x > Limit);
                    coefficients[j * Chunks + c] = x % MersenneField.P;
                }
            }
            for (int i = 0; i < holders.Length; i++)
            {
                EvaluateAll(coefficients, t, holders[i], shares.Slice(i * ShareSize, ShareSize));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(coefficients.AsSpan()));
            CryptographicOperations.ZeroMemory(words);
        }
    }

    // Horner's rule for the five chunk polynomials at x together: five independent chains keep the multiplier busy
    // instead of waiting on one chain's latency.
    private static void EvaluateAll(ReadOnlySpan<ulong> coefficients, int t, ulong x, Span<byte> share)
    {
        ulong y0 = 0, y1 = 0, y2 = 0, y3 = 0, y4 = 0;
        for (int j = t - 1; j >= 0; j--)
        {
            ReadOnlySpan<ulong> a = coefficients.Slice(j * Chunks, Chunks);
            y0 = MersenneField.Add(MersenneField.Mul(y0, x), a[0]);
            y1 = MersenneField.Add(MersenneField.Mul(y1, x), a[1]);
            y2 = MersenneField.Add(MersenneField.Mul(y2, x), a[2]);
            y3 = MersenneField.Add(MersenneField.Mul(y3, x), a[3]);
            y4 = MersenneField.Add(MersenneField.Mul(y4, x), a[4]);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(share, y0);
        BinaryPrimitives.WriteUInt64LittleEndian(share[8..], y1);
        BinaryPrimitives.WriteUInt64LittleEndian(share[16..], y2);
        BinaryPrimitives.WriteUInt64LittleEndian(share[24..], y3);
        BinaryPrimitives.WriteUInt64LittleEndian(share[32..], y4);
    }

    /// <summary>
    /// Reconstructs the secret from shares using precomputed <paramref name="lagrange"/> coefficients;
    /// <c>shares</c> holds one 40-byte share per holder of <paramref name="lagrange"/>, in the same order.
    /// Returns false when a share is malformed or the result is not a valid secret (inconsistent shares).
    /// </summary>
    public static bool TryReconstruct(LagrangeBasis lagrange, ReadOnlySpan<byte> shares, Span<byte> secret)
    {
        ArgumentNullException.ThrowIfNull(lagrange);
        if (secret.Length != SecretSize || shares.Length != lagrange.Count * ShareSize)
        {
            return false;
        }
        Span<ulong> acc = stackalloc ulong[Chunks];
        acc.Clear();
        for (int i = 0; i < lagrange.Count; i++)
        {
            ulong l = lagrange.Coefficient(i);
            for (int c = 0; c < Chunks; c++)
            {
                ulong y = BinaryPrimitives.ReadUInt64LittleEndian(shares.Slice(i * ShareSize + c * 8, 8));
                if (y >= MersenneField.P)
                {
                    acc.Clear();
                    return false;
                }
                acc[c] = MersenneField.Add(acc[c], MersenneField.Mul(l, y));
            }
        }
        bool ok = true;
        for (int c = 0; c < Chunks; c++)
        {
            ok &= WriteChunk(secret, c, acc[c]);
        }
        acc.Clear();
        if (!ok)
        {
            CryptographicOperations.ZeroMemory(secret);
        }
        return ok;
    }

    internal static void ValidateHolders(ReadOnlySpan<uint> holders)
    {
        var seen = new HashSet<uint>();
        foreach (uint h in holders)
        {
            if (h == 0 || !seen.Add(h))
            {
                throw new ArgumentException($"holder ids must be distinct and non-zero (offending id {h})", nameof(holders));
            }
        }
    }

    private static int ChunkLength(int c) => c < Chunks - 1 ? ChunkBytes : SecretSize - (Chunks - 1) * ChunkBytes;

    private static ulong ReadChunk(ReadOnlySpan<byte> secret, int c)
    {
        ulong v = 0;
        ReadOnlySpan<byte> chunk = secret.Slice(c * ChunkBytes, ChunkLength(c));
        for (int b = chunk.Length - 1; b >= 0; b--)
        {
            v = (v << 8) | chunk[b];
        }
        return v;
    }

    private static bool WriteChunk(Span<byte> secret, int c, ulong v)
    {
        int len = ChunkLength(c);
        Span<byte> chunk = secret.Slice(c * ChunkBytes, len);
        for (int b = 0; b < len; b++)
        {
            chunk[b] = (byte)v;
            v >>= 8;
        }
        return v == 0; // a chunk wider than its slot means the shares were not consistent
    }
}
