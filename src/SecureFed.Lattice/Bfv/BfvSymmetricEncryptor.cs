using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Secret-key BFV encryption with a seeded second component: c1 = a expanded from a fresh 32-byte seed,
/// c0 = -a*s + e + Delta*m. The ciphertext serializes as c0 plus the seed (half the bytes of a public-key one).
/// </summary>
public sealed class BfvSymmetricEncryptor
{
    private readonly SecretKey _key;

    /// <summary>Creates an encryptor under <paramref name="secretKey"/> (not owned: the caller disposes it).</summary>
    public BfvSymmetricEncryptor(SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        _key = secretKey;
    }

    /// <summary>Encrypts up to N values, each below t, at the key level.</summary>
    public Ciphertext Encrypt(ReadOnlySpan<ulong> values, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var p = _key.Parameters;
        PlaintextCodec.Validate(p, values);
        var seed = new byte[SeedExpander.SeedSize];
        random.Fill(seed);
        return EncryptWithSeed(values, seed, random);
    }

    internal Ciphertext EncryptWithSeed(ReadOnlySpan<ulong> values, byte[] seed, IRandomSource random)
    {
        var p = _key.Parameters;
        var ring = p.Ring;
        int level = p.KeyLevel;
        var a = new ulong[level * p.Degree];
        SeedExpander.ExpandNtt(seed, ring, level, a);
        ulong[] c0 = KeyShareMath.PublicKeyShare(_key, a, random); // -a*s + e in NTT form
        ring.InverseNtt(c0, level);
        ring.InverseNtt(a, level);
        PlaintextCodec.AddScaled(p, values, c0, level);
        return new Ciphertext(p, level, c0, a, seed);
    }
}
