using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// A validated, immutable BFV parameter set: ring degree N, coefficient modulus q = p_0 * ... * p_(L-1)
/// (NTT-friendly primes), plaintext modulus t = 2^bits. <see cref="Create"/> enforces the HomomorphicEncryption.org
/// standard for 128-bit classical security with a ternary secret and error sigma 3.2; weaker sets can only be
/// built through <see cref="InsecureForTestsOnly"/>.
/// </summary>
public sealed class BfvParameters
{
    /// <summary>Smallest supported plaintext modulus exponent.</summary>
    public const int MinPlaintextBits = 16;

    /// <summary>Largest supported plaintext modulus exponent (sums are held in 64-bit words).</summary>
    public const int MaxPlaintextBits = 64;

    // HomomorphicEncryption.org security standard (Albrecht et al. 2018), table for 128-bit classical security,
    // ternary secret, sigma 3.2: the largest log2 q per ring degree (the same limits as SEAL's tc128).
    private static readonly Dictionary<int, int> MaxBitsTable = new()
    {
        [1024] = 27, [2048] = 54, [4096] = 109, [8192] = 218, [16384] = 438, [32768] = 881,
    };

    private readonly LevelConstants?[] _levels;

    private BfvParameters(int degree, ulong[] primes, int plaintextBits, bool secure)
    {
        Degree = degree;
        Primes = primes;
        PlaintextBits = plaintextBits;
        IsStandardSecure = secure;
        TotalModulusBits = primes.Sum(p => 64 - BitOperations.LeadingZeroCount(p));
        Ring = new RnsRing(degree, primes);
        _levels = new LevelConstants?[primes.Length + 1];
        Id = ComputeId(degree, primes, plaintextBits);
    }

    /// <summary>Ring degree N.</summary>
    public int Degree { get; }

    /// <summary>The primes of q in chain order.</summary>
    public IReadOnlyList<ulong> Primes { get; }

    /// <summary>Number of primes at which keys live and encryption happens.</summary>
    public int KeyLevel => Primes.Count;

    /// <summary>log2 t.</summary>
    public int PlaintextBits { get; }

    /// <summary>Sum of the primes' bit lengths (the quantity the security table bounds).</summary>
    public int TotalModulusBits { get; }

    /// <summary>True when built by <see cref="Create"/> (within the 128-bit security table).</summary>
    public bool IsStandardSecure { get; }

    /// <summary>8-byte identifier carried in every serialized object (protocol-spec/he.md, "Parameter id").</summary>
    public ReadOnlyMemory<byte> Id { get; }

    internal RnsRing Ring { get; }

    internal ulong PlainMask => PlaintextBits == 64 ? ulong.MaxValue : (1UL << PlaintextBits) - 1;

    /// <summary>The largest log2 q the 128-bit table allows for <paramref name="degree"/>, or 0 when unsupported.</summary>
    public static int MaxModulusBits(int degree) => MaxBitsTable.GetValueOrDefault(degree);

    /// <summary>Validates <paramref name="options"/> against the 128-bit security table and builds the set.</summary>
    /// <exception cref="HeParameterException">A field is out of range or the modulus is too large for N.</exception>
    public static BfvParameters Create(BfvParameterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!MaxBitsTable.TryGetValue(options.Degree, out int maxBits))
        {
            throw new HeParameterException($"Degree must be one of {string.Join(", ", MaxBitsTable.Keys)} for 128-bit security (got {options.Degree})");
        }
        int total = options.PrimeBits?.Sum() ?? 0;
        if (total > maxBits)
        {
            throw new HeParameterException($"PrimeBits sum to {total} bits; N = {options.Degree} allows at most {maxBits} for 128-bit security");
        }
        return Build(options, secure: true);
    }

    /// <summary>
    /// Builds a set WITHOUT the security check (small rings for tests and test vectors). Never use for data.
    /// </summary>
    public static BfvParameters InsecureForTestsOnly(BfvParameterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Build(options, secure: false);
    }

    /// <summary>SEAL's BFVDefault chain for N = 4096 (36, 36, 37 bits) or 8192 (43, 43, 44, 44, 44 bits).</summary>
    public static BfvParameters SealDefault(int degree, int plaintextBits) => degree switch
    {
        4096 => Create(new BfvParameterOptions { Degree = 4096, PrimeBits = [36, 36, 37], PlaintextBits = plaintextBits }),
        8192 => Create(new BfvParameterOptions { Degree = 8192, PrimeBits = [43, 43, 44, 44, 44], PlaintextBits = plaintextBits }),
        _ => throw new HeParameterException($"Degree: SEAL defaults are provided for 4096 and 8192 (got {degree})"),
    };

    private static BfvParameters Build(BfvParameterOptions options, bool secure)
    {
        int n = options.Degree;
        if (n < 8 || n > 32768 || (n & (n - 1)) != 0)
        {
            throw new HeParameterException($"Degree must be a power of two in [8, 32768] (got {n})");
        }
        if (options.PrimeBits is null || options.PrimeBits.Count == 0 || options.PrimeBits.Count > 64)
        {
            throw new HeParameterException("PrimeBits must list 1 to 64 prime sizes");
        }
        int minPrimeBits = BitOperations.Log2((uint)(2 * n)) + 2;
        foreach (int b in options.PrimeBits)
        {
            if (b < minPrimeBits || b > Modulus.MaxBits)
            {
                throw new HeParameterException($"PrimeBits entries must be in [{minPrimeBits}, {Modulus.MaxBits}] for N = {n} (got {b})");
            }
        }
        if (options.PlaintextBits < MinPlaintextBits || options.PlaintextBits > MaxPlaintextBits)
        {
            throw new HeParameterException($"PlaintextBits must be in [{MinPlaintextBits}, {MaxPlaintextBits}] (got {options.PlaintextBits})");
        }
        if (options.PrimeBits.Sum() < options.PlaintextBits + 8)
        {
            throw new HeParameterException($"PrimeBits sum to {options.PrimeBits.Sum()} bits: q must exceed t = 2^{options.PlaintextBits} by far more");
        }
        var primes = new List<ulong>();
        foreach (int b in options.PrimeBits)
        {
            try
            {
                primes.Add(PrimeSearch.NttPrimes(b, n, 1, primes)[0]);
            }
            catch (InvalidOperationException e)
            {
                throw new HeParameterException($"PrimeBits: not enough {b}-bit primes = 1 mod {2 * n}", e);
            }
        }
        // Decryption sums x_i * F_i with x_i < p_i and F_i < 2^64 in a 128-bit accumulator: needs sum p_i < 2^64
        // (always true within the security table; only many large primes in an insecure set can break it).
        UInt128 primeSum = 0;
        foreach (ulong p in primes)
        {
            primeSum += p;
        }
        if (primeSum >> 64 != 0)
        {
            throw new HeParameterException("PrimeBits: the primes must sum to less than 2^64 (too many large primes)");
        }
        return new BfvParameters(n, primes.ToArray(), options.PlaintextBits, secure);
    }

    internal LevelConstants Level(int level)
    {
        if (level < 1 || level > KeyLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), $"level must be in [1, {KeyLevel}]");
        }
        return _levels[level] ??= new LevelConstants(this, level);
    }

    internal BigInteger ModulusAt(int level)
    {
        BigInteger q = BigInteger.One;
        for (int i = 0; i < level; i++)
        {
            q *= Primes[i];
        }
        return q;
    }

    private static byte[] ComputeId(int degree, ulong[] primes, int plaintextBits)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData("SecureFed/he/params/v1"u8);
        Span<byte> b = stackalloc byte[8];
        h.AppendData([(byte)BitOperations.Log2((uint)degree), (byte)primes.Length]);
        foreach (ulong p in primes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, p);
            h.AppendData(b);
        }
        h.AppendData([(byte)plaintextBits]);
        return h.GetHashAndReset()[..8];
    }
}
