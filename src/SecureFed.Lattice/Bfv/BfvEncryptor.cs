using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Public-key BFV encryption: u ternary, one CBD(21) error per body and one for the mask;
/// body_i = b_i*u + e_i + round(q*m_i/t), mask c1 = a*u + e' (one forward NTT of u and one inverse NTT per
/// component and prime), then optionally modulus-switched down for upload. Holds scratch buffers: one instance
/// per thread.
/// </summary>
public sealed class BfvEncryptor
{
    private readonly PublicKey _key;
    private readonly sbyte[] _u;
    private readonly sbyte[] _e;
    private readonly ulong[] _uNtt;

    /// <summary>Creates an encryptor for <paramref name="publicKey"/>.</summary>
    public BfvEncryptor(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        _key = publicKey;
        int n = publicKey.Parameters.Degree;
        _u = new sbyte[n];
        _e = new sbyte[n];
        _uNtt = new ulong[publicKey.Parameters.KeyLevel * n];
    }

    /// <summary>The parameter set.</summary>
    public BfvParameters Parameters => _key.Parameters;

    /// <summary>
    /// Encrypts up to N values per body (each below t; body i takes values [i*N, (i+1)*N)) and switches the result
    /// down to <paramref name="targetLevel"/> primes (0 = stay at the key level).
    /// </summary>
    /// <exception cref="ArgumentException">Too many values, or a value not below t.</exception>
    public Ciphertext Encrypt(ReadOnlySpan<ulong> values, IRandomSource random, int targetLevel = 0)
    {
        var p = _key.Parameters;
        int length = p.KeyLevel * p.Degree;
        var bodies = new ulong[_key.BodyCount][];
        for (int b = 0; b < bodies.Length; b++)
        {
            bodies[b] = new ulong[length];
        }
        var c1 = new ulong[length];
        EncryptAtKeyLevel(values, random, bodies, c1);
        var ct = new Ciphertext(p, p.KeyLevel, bodies, c1);
        if (targetLevel != 0 && targetLevel != p.KeyLevel)
        {
            ct.SwitchToLevel(targetLevel);
        }
        return ct;
    }

    /// <summary>
    /// The same encryption (same randomness, same result) into caller-owned key-level buffers, switched down in
    /// place: afterwards the first <paramref name="targetLevel"/> * N residues of each buffer hold the ciphertext.
    /// An upload reuses one set of buffers for all its blocks instead of allocating (and faulting in) fresh ones.
    /// </summary>
    internal void EncryptInPlace(ReadOnlySpan<ulong> values, IRandomSource random, int targetLevel, ulong[][] bodies, ulong[] c1)
    {
        var p = _key.Parameters;
        if (targetLevel < 1 || targetLevel > p.KeyLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(targetLevel), $"level must be in [1, {p.KeyLevel}]");
        }
        EncryptAtKeyLevel(values, random, bodies, c1);
        for (int level = p.KeyLevel; level > targetLevel; level--)
        {
            foreach (ulong[] body in bodies)
            {
                Ciphertext.DropLastPrime(p, level, body, body);
            }
            Ciphertext.DropLastPrime(p, level, c1, c1);
        }
    }

    // body_i = INTT(b_i * u) + e_i + round(q*m_i/t), c1 = INTT(a * u) + e', written over the given buffers.
    private void EncryptAtKeyLevel(ReadOnlySpan<ulong> values, IRandomSource random, ulong[][] result, ulong[] c1)
    {
        ArgumentNullException.ThrowIfNull(random);
        var p = _key.Parameters;
        int n = p.Degree;
        int bodies = _key.BodyCount;
        if (values.Length > bodies * n)
        {
            throw new ArgumentException($"at most {bodies * n} values fit one ciphertext (got {values.Length})", nameof(values));
        }
        for (int b = 0; b < bodies; b++)
        {
            PlaintextCodec.Validate(p, Slice(values, b, n));
        }
        var ring = p.Ring;
        int level = p.KeyLevel;
        Samplers.Ternary(random, _u);
        ring.FromSigned(_u, _uNtt, level);
        ring.ForwardNtt(_uNtt, level);
        for (int b = 0; b < bodies; b++)
        {
            Samplers.CenteredBinomial(random, _e);
            Component(_key.Bs[b], _key.BShoups[b], result[b]);
            PlaintextCodec.AddScaled(p, Slice(values, b, n), result[b], level);
        }
        Samplers.CenteredBinomial(random, _e);
        Component(_key.A, _key.AShoup, c1);
        Wipe();

        // INTT(key * u) + e, with e the error just sampled into _e.
        void Component(ulong[] key, ulong[] keyShoup, ulong[] c)
        {
            for (int i = 0; i < level; i++)
            {
                PolyArith.MulShoup(_uNtt.AsSpan(i * n, n), key.AsSpan(i * n, n), keyShoup.AsSpan(i * n, n), c.AsSpan(i * n, n), ring.Moduli[i].Value);
            }
            ring.InverseNtt(c, level);
            ring.AddSigned(c, _e, level);
        }
    }

    private static ReadOnlySpan<ulong> Slice(ReadOnlySpan<ulong> values, int body, int n)
    {
        int start = body * n;
        return start >= values.Length ? [] : values.Slice(start, Math.Min(n, values.Length - start));
    }

    private void Wipe()
    {
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_u.AsSpan()));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_e.AsSpan()));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_uNtt.AsSpan()));
    }
}
