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
    /// All coefficients are drawn from <paramref name="random"/> first, on the calling thread; the evaluation may then
    /// use up to <paramref name="maxDegreeOfParallelism"/> threads on disjoint holder ranges. The shares are the same
    /// bytes for any degree of parallelism.
    /// </summary>
    /// <exception cref="ArgumentException">Bad sizes, threshold out of range, repeated/zero holder ids, or
    /// <paramref name="maxDegreeOfParallelism"/> below 1.</exception>
    public static void Split(ReadOnlySpan<byte> secret, int threshold, ReadOnlySpan<uint> holders, Span<byte> shares, IRandomSource random,
        int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
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
        ulong[] coefficients = TakeScratch(ref t_coefficients, Chunks * t);
        byte[] wordBuffer = TakeScratch(ref t_words, Chunks * (t - 1) * 8);
        Span<byte> words = wordBuffer.AsSpan(0, Chunks * (t - 1) * 8);
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
                        x = next < words.Length ? BinaryPrimitives.ReadUInt64LittleEndian(words[next..]) : random.NextUInt64();
                        next += 8;
                    }
                    while (x > Limit);
                    coefficients[j * Chunks + c] = x % MersenneField.P;
                }
            }
            Evaluate(coefficients, t, holders, shares, maxDegreeOfParallelism);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(coefficients.AsSpan(0, Chunks * t)));
            CryptographicOperations.ZeroMemory(words);
            t_coefficients = coefficients;
            t_words = wordBuffer;
        }
    }

    // Per-thread pinned scratch for a split's coefficients and their random words, wiped after every split. A pinned
    // allocation per split cost more than the split itself in a 10,000-client simulation (each searches the pinned
    // heap, which only a gen2 collection tidies). A split takes the thread's buffer (a nested split on the same thread
    // would allocate its own) and puts it back wiped.
    [ThreadStatic]
    private static ulong[]? t_coefficients;

    [ThreadStatic]
    private static byte[]? t_words;

    private static T[] TakeScratch<T>(ref T[]? cached, int length)
    {
        T[]? buffer = cached;
        cached = null;
        return buffer is not null && buffer.Length >= length ? buffer : GC.AllocateArray<T>(Math.Max(length, 64), pinned: true);
    }

    // Work (holders x coefficients) each extra thread must get to be worth starting: 64 holders x 64 coefficients is
    // a few microseconds of vector evaluation, about what handing a range to a pool thread costs.
    private const long MinWorkPerThread = 64 * 64;

    // Splits the holders into contiguous ranges, one per thread; each range writes only its own shares.
    private static unsafe void Evaluate(ulong[] coefficients, int t, ReadOnlySpan<uint> holders, Span<byte> shares, int maxDegreeOfParallelism)
    {
        int n = holders.Length;
        int parts = (int)Math.Min(maxDegreeOfParallelism, Math.Max(1, (long)n * t / MinWorkPerThread));
        parts = Math.Min(parts, Math.Max(1, n / 8));
        if (parts <= 1)
        {
            SharePolynomialEvaluator.Evaluate(coefficients.AsSpan(0, Chunks * t), t, holders, shares);
            return;
        }
        // Ranges are multiples of 8 holders (except the last) so every range runs the 4-wide vector path throughout.
        int perPart = (n / parts + 7) & ~7;
        fixed (uint* h = holders)
        fixed (byte* s = shares)
        {
            nint hp = (nint)h, sp = (nint)s;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, k =>
            {
                int start = Math.Min(n, k * perPart);
                int count = k == parts - 1 ? n - start : Math.Min(perPart, n - start);
                var range = new ReadOnlySpan<uint>((uint*)hp + start, count);
                var output = new Span<byte>((byte*)sp + (long)start * ShareSize, count * ShareSize);
                SharePolynomialEvaluator.Evaluate(coefficients.AsSpan(0, Chunks * t), t, range, output);
            });
        }
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
