using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Public-key BFV encryption: u ternary, e0 and e1 CBD(21); c0 = b*u + e0 + Delta*m, c1 = a*u + e1 (one forward
/// NTT of u and two inverse NTTs per prime), then optionally modulus-switched down for upload.
/// Holds scratch buffers: one instance per thread.
/// </summary>
public sealed class BfvEncryptor
{
    private readonly PublicKey _key;
    private readonly sbyte[] _u;
    private readonly sbyte[] _e0;
    private readonly sbyte[] _e1;
    private readonly ulong[] _uNtt;

    /// <summary>Creates an encryptor for <paramref name="publicKey"/>.</summary>
    public BfvEncryptor(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        _key = publicKey;
        int n = publicKey.Parameters.Degree;
        _u = new sbyte[n];
        _e0 = new sbyte[n];
        _e1 = new sbyte[n];
        _uNtt = new ulong[publicKey.Parameters.KeyLevel * n];
    }

    /// <summary>The parameter set.</summary>
    public BfvParameters Parameters => _key.Parameters;

    /// <summary>
    /// Encrypts up to N values (each below t) and switches the result down to <paramref name="targetLevel"/>
    /// primes (0 = stay at the key level).
    /// </summary>
    /// <exception cref="ArgumentException">Too many values, or a value not below t.</exception>
    public Ciphertext Encrypt(ReadOnlySpan<ulong> values, IRandomSource random, int targetLevel = 0)
    {
        ArgumentNullException.ThrowIfNull(random);
        var p = _key.Parameters;
        PlaintextCodec.Validate(p, values);
        var ring = p.Ring;
        int n = p.Degree;
        int level = p.KeyLevel;
        Samplers.Ternary(random, _u);
        Samplers.CenteredBinomial(random, _e0);
        Samplers.CenteredBinomial(random, _e1);
        ring.FromSigned(_u, _uNtt, level);
        ring.ForwardNtt(_uNtt, level);
        var c0 = new ulong[level * n];
        var c1 = new ulong[level * n];
        for (int i = 0; i < level; i++)
        {
            ulong q = ring.Moduli[i].Value;
            var u = _uNtt.AsSpan(i * n, n);
            PolyArith.MulShoup(u, _key.B.AsSpan(i * n, n), _key.BShoup.AsSpan(i * n, n), c0.AsSpan(i * n, n), q);
            PolyArith.MulShoup(u, _key.A.AsSpan(i * n, n), _key.AShoup.AsSpan(i * n, n), c1.AsSpan(i * n, n), q);
        }
        ring.InverseNtt(c0, level);
        ring.InverseNtt(c1, level);
        ring.AddSigned(c0, _e0, level);
        ring.AddSigned(c1, _e1, level);
        PlaintextCodec.AddScaled(p, values, c0, level);
        Wipe();
        var ct = new Ciphertext(p, level, c0, c1);
        if (targetLevel != 0 && targetLevel != level)
        {
            ct.SwitchToLevel(targetLevel);
        }
        return ct;
    }

    private void Wipe()
    {
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_u.AsSpan()));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_e0.AsSpan()));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_e1.AsSpan()));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_uNtt.AsSpan()));
    }
}
