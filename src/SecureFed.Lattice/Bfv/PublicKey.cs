using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// A BFV public key (b, a) = (-a*s + e, a) in NTT form at the key level, with Shoup quotients for the
/// encryption hot path. A multi-secret key has several b_i = -a*s_i + e_i sharing one a (ciphertexts then carry one
/// body per b_i and a single mask). For a collective key each b_i is the sum of the parties' shares and a the
/// common random polynomial expanded from <see cref="Seed"/>.
/// </summary>
public sealed class PublicKey
{
    internal PublicKey(BfvParameters parameters, ulong[][] b, ulong[] a, byte[] seed)
    {
        Parameters = parameters;
        Bs = b;
        A = a;
        Seed = seed;
        BShoups = b.Select(_ => new ulong[a.Length]).ToArray();
        AShoup = new ulong[a.Length];
        int n = parameters.Degree;
        for (int i = 0; i < parameters.KeyLevel; i++)
        {
            ulong p = parameters.Ring.Moduli[i].Value;
            for (int k = 0; k < b.Length; k++)
            {
                PolyArith.ShoupQuotients(b[k].AsSpan(i * n, n), BShoups[k].AsSpan(i * n, n), p);
            }
            PolyArith.ShoupQuotients(a.AsSpan(i * n, n), AShoup.AsSpan(i * n, n), p);
        }
    }

    /// <summary>The parameter set.</summary>
    public BfvParameters Parameters { get; }

    /// <summary>The public seed of the a component.</summary>
    public ReadOnlyMemory<byte> Seed { get; }

    /// <summary>Number of b components (secrets); a ciphertext under this key has this many bodies.</summary>
    public int BodyCount => Bs.Length;

    internal ulong[][] Bs { get; }

    internal ulong[] A { get; }

    internal ulong[][] BShoups { get; }

    internal ulong[] AShoup { get; }

    /// <summary>Single-key generation: a from a fresh random seed, b = -a*s + e.</summary>
    public static PublicKey Generate(SecretKey secretKey, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(random);
        var seed = new byte[SeedExpander.SeedSize];
        random.Fill(seed);
        var p = secretKey.Parameters;
        var a = new ulong[p.KeyLevel * p.Degree];
        SeedExpander.ExpandNtt(seed, p.Ring, p.KeyLevel, a);
        var b = KeyShareMath.PublicKeyShare(secretKey, a, random);
        return new PublicKey(p, [b], a, seed);
    }
}
