using System.Numerics;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// Twiddle factors of the negacyclic NTT modulo one prime p = 1 mod 2N: powers of psi, the smallest primitive
/// 2N-th root of unity mod p, in bit-reversed order (psi^bitrev(k) at index k), each with its Shoup quotient,
/// and the same for psi^-1; plus N^-1. Choosing the smallest root makes the transform (and the test vectors)
/// a function of (p, N) alone.
/// </summary>
internal sealed class NttTables
{
    public NttTables(Modulus modulus, int degree)
    {
        if (!PrimeSearch.IsNttPrime(modulus.Value, degree))
        {
            throw new ArgumentException($"{modulus.Value} is not a prime = 1 mod {2 * degree}", nameof(modulus));
        }
        Modulus = modulus;
        Degree = degree;
        LogDegree = BitOperations.Log2((uint)degree);
        ulong p = modulus.Value;
        Psi = SmallestPrimitiveRoot(modulus, degree);
        ulong psiInv = ModArith.InversePrime(Psi, modulus);
        Roots = new ulong[degree];
        RootsShoup = new ulong[degree];
        InvRoots = new ulong[degree];
        InvRootsShoup = new ulong[degree];
        ulong power = 1, invPower = 1;
        for (int k = 0; k < degree; k++)
        {
            int r = (int)BitReverse((uint)k, LogDegree);
            Roots[r] = power;
            InvRoots[r] = invPower;
            power = ModArith.Mul(power, Psi, modulus);
            invPower = ModArith.Mul(invPower, psiInv, modulus);
        }
        for (int k = 0; k < degree; k++)
        {
            RootsShoup[k] = ModArith.ShoupPrecompute(Roots[k], p);
            InvRootsShoup[k] = ModArith.ShoupPrecompute(InvRoots[k], p);
        }
        InvDegree = ModArith.InversePrime((ulong)degree, modulus);
        InvDegreeShoup = ModArith.ShoupPrecompute(InvDegree, p);
    }

    public Modulus Modulus { get; }

    public int Degree { get; }

    public int LogDegree { get; }

    /// <summary>The primitive 2N-th root of unity used.</summary>
    public ulong Psi { get; }

    public ulong[] Roots { get; }

    public ulong[] RootsShoup { get; }

    public ulong[] InvRoots { get; }

    public ulong[] InvRootsShoup { get; }

    public ulong InvDegree { get; }

    public ulong InvDegreeShoup { get; }

    internal static uint BitReverse(uint x, int bits) => bits == 0 ? 0 : ReverseBits(x) >> (32 - bits);

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }

    /// <summary>Smallest x in [2, p) with x^N = -1 mod p (then x has order exactly 2N).</summary>
    private static ulong SmallestPrimitiveRoot(Modulus m, int degree)
    {
        ulong p = m.Value;
        ulong exponent = (p - 1) / (2UL * (ulong)degree);
        // Find one primitive 2N-th root g^((p-1)/2N) from a non-residue-like g, then take the minimum over its odd powers
        // (exactly the set of primitive 2N-th roots).
        ulong root = 0;
        for (ulong g = 2; g < p; g++)
        {
            ulong c = ModArith.Pow(g, exponent, m);
            if (ModArith.Pow(c, (ulong)degree, m) == p - 1)
            {
                root = c;
                break;
            }
        }
        ulong square = ModArith.Mul(root, root, m);
        ulong best = root, current = root;
        for (int i = 1; i < degree; i++)
        {
            current = ModArith.Mul(current, square, m);
            best = Math.Min(best, current);
        }
        return best;
    }
}
