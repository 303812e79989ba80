using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Bfv;

/// <summary>b = -a*s + e in NTT form: a public key, or one party's share of a collective one.</summary>
internal static class KeyShareMath
{
    public static ulong[] PublicKeyShare(SecretKey secretKey, ReadOnlySpan<ulong> aNtt, IRandomSource random)
    {
        var p = secretKey.Parameters;
        var ring = p.Ring;
        int n = p.Degree;
        int level = p.KeyLevel;
        var e = new sbyte[n];
        Samplers.CenteredBinomial(random, e);
        var b = new ulong[level * n];
        ring.FromSigned(e, b, level);
        Array.Clear(e);
        ring.ForwardNtt(b, level);
        var product = new ulong[n];
        for (int i = 0; i < level; i++)
        {
            ulong q = ring.Moduli[i].Value;
            PolyArith.MulShoup(aNtt.Slice(i * n, n), secretKey.Ntt.Slice(i * n, n), secretKey.NttShoup.Slice(i * n, n), product, q);
            PolyArith.SubInPlace(ring.Component(b, i), product, q);
        }
        Array.Clear(product);
        return b;
    }
}
