using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// A BFV ciphertext (c0, c1) in coefficient form at some level k (modulus p_0 ... p_(k-1)); decryption computes
/// round(t * (c0 + c1*s) / q_k) mod t. Under a multi-secret public key it has several bodies c0_0 .. c0_(B-1)
/// sharing one mask c1 (body i decrypts with secret s_i). A fresh symmetric ciphertext also remembers the 32-byte
/// seed its c1 was expanded from, so it serializes in about half the bytes.
/// </summary>
public sealed class Ciphertext
{
    internal Ciphertext(BfvParameters parameters, int level, ulong[] c0, ulong[] c1, byte[]? seed = null)
        : this(parameters, level, [c0], c1, seed)
    {
    }

    internal Ciphertext(BfvParameters parameters, int level, ulong[][] bodies, ulong[] c1, byte[]? seed = null)
    {
        Parameters = parameters;
        Level = level;
        Bodies = bodies;
        C1 = c1;
        Seed = seed;
    }

    /// <summary>The parameter set.</summary>
    public BfvParameters Parameters { get; }

    /// <summary>Number of primes the ciphertext is currently defined over.</summary>
    public int Level { get; private set; }

    /// <summary>True when c1 is still the expansion of a 32-byte seed (fresh symmetric encryption).</summary>
    public bool IsSeeded => Seed is not null;

    /// <summary>Number of bodies (c0 components) sharing the mask c1.</summary>
    public int BodyCount => Bodies.Length;

    internal ulong[] C0 => Bodies[0];

    internal ulong[][] Bodies { get; private set; }

    internal ulong[] C1 { get; private set; }

    internal byte[]? Seed { get; private set; }

    /// <summary>A new all-zero ciphertext (the neutral element of addition) at <paramref name="level"/>.</summary>
    public static Ciphertext Zero(BfvParameters parameters, int level, int bodies = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(bodies, 1);
        parameters.Level(level);
        int len = level * parameters.Degree;
        return new Ciphertext(parameters, level, Enumerable.Range(0, bodies).Select(_ => new ulong[len]).ToArray(), new ulong[len]);
    }

    /// <summary>A deep copy.</summary>
    public Ciphertext Clone() => new(Parameters, Level, Bodies.Select(b => (ulong[])b.Clone()).ToArray(), (ulong[])C1.Clone(), (byte[]?)Seed?.Clone());

    /// <summary>this += other (homomorphic addition of the plaintexts mod t).</summary>
    /// <exception cref="ArgumentException">Different parameters or levels.</exception>
    public void AddInPlace(Ciphertext other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other.Parameters, Parameters) && !other.Parameters.Id.Span.SequenceEqual(Parameters.Id.Span))
        {
            throw new ArgumentException("ciphertexts use different parameters", nameof(other));
        }
        if (other.Level != Level || other.BodyCount != BodyCount)
        {
            throw new ArgumentException($"ciphertext levels or body counts differ ({Level}/{BodyCount} vs {other.Level}/{other.BodyCount})", nameof(other));
        }
        var ring = Parameters.Ring;
        for (int i = 0; i < Level; i++)
        {
            ulong p = ring.Moduli[i].Value;
            for (int b = 0; b < Bodies.Length; b++)
            {
                PolyArith.AddInPlace(ring.Component(Bodies[b], i), ring.Component(other.Bodies[b], i), p);
            }
            PolyArith.AddInPlace(ring.Component(C1, i), ring.Component(other.C1, i), p);
        }
        Seed = null;
    }

    /// <summary>
    /// Modulus switching: drops primes from the end of the chain until <paramref name="level"/> remain, scaling
    /// both components by 1/p_last with rounding: c' = (c - [c]_p) / p where [c]_p is the centered residue.
    /// The noise is divided by p_last and gains a rounding term (1/2)(1 + |s|_1) at most (protocol-spec/he.md).
    /// </summary>
    public void SwitchToLevel(int level)
    {
        if (level < 1 || level > Level)
        {
            throw new ArgumentOutOfRangeException(nameof(level), $"level must be in [1, {Level}]");
        }
        while (Level > level)
        {
            DropLast();
        }
    }

    private void DropLast()
    {
        int n = Parameters.Degree;
        int k = Level - 1;
        var bodies = new ulong[Bodies.Length][];
        for (int b = 0; b < bodies.Length; b++)
        {
            bodies[b] = new ulong[k * n];
            DropLastPrime(Parameters, Level, Bodies[b], bodies[b]);
        }
        var c1 = new ulong[k * n];
        DropLastPrime(Parameters, Level, C1, c1);
        Bodies = bodies;
        C1 = c1;
        Level = k;
        Seed = null;
    }

    /// <summary>
    /// One modulus-switching step of one component from <paramref name="level"/> to level - 1 primes.
    /// <paramref name="destination"/> may be <paramref name="source"/> itself (each residue is read before it is
    /// overwritten, and the dropped prime's row is only read), which lets an encryptor switch in its scratch.
    /// </summary>
    internal static void DropLastPrime(BfvParameters parameters, int level, ReadOnlySpan<ulong> source, Span<ulong> destination)
    {
        var constants = parameters.Level(level);
        var ring = parameters.Ring;
        int n = parameters.Degree;
        int k = level - 1;
        ulong pl = constants.LastPrime;
        ulong half = pl >> 1;
        ReadOnlySpan<ulong> last = source.Slice(k * n, n);
        for (int i = 0; i < k; i++)
        {
            Modulus m = ring.Moduli[i];
            ulong p = m.Value;
            ulong plModP = constants.LastModP[i];
            ulong inv = constants.InvLast[i];
            ulong invShoup = constants.InvLastShoup[i];
            ReadOnlySpan<ulong> s = source.Slice(i * n, n);
            Span<ulong> d = destination.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                ulong r = last[j];
                // centered residue: r - pl when r > pl/2; (c - r_centered) mod p = c - r + pl*[r > half]
                ulong above = (ulong)((long)(half - r) >> 63); // all ones when r > half
                ulong rModP = ModArith.Reduce64(r, m);
                ulong diff = ModArith.Sub(s[j], rModP, p);
                diff = ModArith.Add(diff, plModP & above, p);
                d[j] = ModArith.MulShoup(diff, inv, invShoup, p);
            }
        }
    }
}
