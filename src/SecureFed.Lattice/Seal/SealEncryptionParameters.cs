using System.Buffers.Binary;
using System.Numerics;
using SecureFed.Lattice.Bfv;

namespace SecureFed.Lattice.Seal;

/// <summary>
/// SEAL 4.1's <c>EncryptionParameters</c> for BFV: the members are u8 scheme (1 = BFV), u64 poly_modulus_degree,
/// u64 coeff_modulus count, that many nested Modulus objects (header + u64 value, uncompressed), then the plain
/// modulus as a nested Modulus. The parms_id of a level is BLAKE2b-256 over the u64 words
/// [scheme, N, p_0 .. p_(k-1), t] (SEAL's <c>compute_parms_id</c>); SEAL names the key level (all primes) and each
/// data level (the chain with its last primes dropped) this way. protocol-spec/he.md section 11.
/// </summary>
public sealed class SealEncryptionParameters
{
    /// <summary>SEAL's <c>scheme_type::bfv</c>.</summary>
    public const byte SchemeBfv = 1;

    /// <summary>The largest plain modulus SEAL accepts, in bits (<c>SEAL_PLAIN_MOD_BIT_COUNT_MAX</c>).</summary>
    public const int MaxPlainModulusBits = 60;

    /// <summary>The largest coefficient-modulus prime SEAL accepts, in bits (<c>SEAL_USER_MOD_BIT_COUNT_MAX</c>).</summary>
    public const int MaxPrimeBits = 60;

    private const int MaxPrimes = 64;
    private const int MaxDegree = 131072;
    private const int ModulusObjectSize = SealHeader.ByteCount + 8;

    private SealEncryptionParameters(int degree, ulong[] coeffModulus, ulong plainModulus)
    {
        Degree = degree;
        CoeffModulus = coeffModulus;
        PlainModulus = plainModulus;
    }

    /// <summary>poly_modulus_degree N.</summary>
    public int Degree { get; }

    /// <summary>The coefficient-modulus primes in chain order (the last is SEAL's special prime when there are several).</summary>
    public IReadOnlyList<ulong> CoeffModulus { get; }

    /// <summary>The plain modulus t.</summary>
    public ulong PlainModulus { get; }

    /// <summary>The SEAL parameters equal to <paramref name="parameters"/> (same N, primes in order, t = 2^bits).</summary>
    /// <exception cref="SealExportException">t = 2^bits has more than 60 bits (bits &gt;= 60) (<see cref="SealExportRefusal.PlainModulusTooLarge"/>).</exception>
    public static SealEncryptionParameters FromBfv(BfvParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // t = 2^bits has bits + 1 significant bits.
        if (parameters.PlaintextBits >= MaxPlainModulusBits)
        {
            throw new SealExportException(SealExportRefusal.PlainModulusTooLarge,
                $"t = 2^{parameters.PlaintextBits} has {parameters.PlaintextBits + 1} bits; SEAL's plain modulus has at most {MaxPlainModulusBits} (use Bits <= {MaxPlainModulusBits - 1})");
        }
        return new SealEncryptionParameters(parameters.Degree, parameters.Primes.ToArray(), 1UL << parameters.PlaintextBits);
    }

    /// <summary>Reads SEAL-serialized BFV parameters (one whole object).</summary>
    /// <exception cref="SealFormatException">Not BFV, a bad field, a modulus out of SEAL's ranges, or malformed bytes.</exception>
    public static SealEncryptionParameters Load(ReadOnlySpan<byte> bytes)
    {
        byte[] members = SealFraming.Unframe(bytes, 1 + 8 + 8 + (MaxPrimes + 1) * ModulusObjectSize);
        var r = new SealReader(members);
        byte scheme = r.U8();
        if (scheme != SchemeBfv)
        {
            throw new SealFormatException($"SEAL scheme {scheme} is not BFV ({SchemeBfv})");
        }
        ulong n = r.U64();
        if (n < 2 || n > MaxDegree || !BitOperations.IsPow2(n))
        {
            throw new SealFormatException($"poly_modulus_degree {n} is not a power of two in [2, {MaxDegree}]");
        }
        ulong count = r.U64();
        if (count < 1 || count > MaxPrimes)
        {
            throw new SealFormatException($"coeff_modulus has {count} primes, 1 to {MaxPrimes} are read");
        }
        var primes = new ulong[count];
        for (int i = 0; i < primes.Length; i++)
        {
            primes[i] = ReadModulus(ref r, "coeff_modulus prime", MaxPrimeBits);
        }
        ulong t = ReadModulus(ref r, "plain_modulus", MaxPlainModulusBits);
        r.End("the encryption parameters");
        return new SealEncryptionParameters((int)n, primes, t);
    }

    /// <summary>SEAL's serialization of these parameters.</summary>
    public byte[] Save(SealComprMode mode = SealComprMode.None)
    {
        var members = new byte[1 + 8 + 8 + (CoeffModulus.Count + 1) * ModulusObjectSize];
        var w = new SealWriter(members);
        w.U8(SchemeBfv);
        w.U64((ulong)Degree);
        w.U64((ulong)CoeffModulus.Count);
        foreach (ulong p in CoeffModulus)
        {
            w.Modulus(p);
        }
        w.Modulus(PlainModulus);
        return SealFraming.Frame(members, mode);
    }

    /// <summary>True when these are exactly <paramref name="parameters"/> (N, every prime in order, t = 2^bits).</summary>
    public bool Describes(BfvParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Degree == Degree && parameters.Primes.SequenceEqual(CoeffModulus)
            && parameters.PlaintextBits < MaxPlainModulusBits && PlainModulus == 1UL << parameters.PlaintextBits;
    }

    /// <summary>The 32-byte parms_id of the level with the first <paramref name="level"/> primes.</summary>
    public byte[] ParmsId(int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, CoeffModulus.Count);
        var words = new byte[8 * (3 + level)];
        BinaryPrimitives.WriteUInt64LittleEndian(words, SchemeBfv);
        BinaryPrimitives.WriteUInt64LittleEndian(words.AsSpan(8), (ulong)Degree);
        for (int i = 0; i < level; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(words.AsSpan(16 + 8 * i), CoeffModulus[i]);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(words.AsSpan(16 + 8 * level), PlainModulus);
        var id = new byte[32];
        Blake2b.Hash(words, id);
        return id;
    }

    private static ulong ReadModulus(ref SealReader r, string what, int maxBits)
    {
        var inner = new SealReader(r.Nested(what));
        ulong value = inner.U64();
        inner.End(what);
        if (value < 2 || value >> maxBits != 0)
        {
            throw new SealFormatException($"{what} {value} is outside [2, 2^{maxBits})");
        }
        return value;
    }
}
