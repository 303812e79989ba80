using System.Numerics;
using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Per-level precomputations for q_k = p_0 ... p_(k-1): Delta = floor(q_k / t) per prime (encoding), the
/// scale-and-round constants for decryption, and the constants for dropping the last prime (modulus switching).
/// </summary>
internal sealed class LevelConstants
{
    public LevelConstants(BfvParameters parameters, int level)
    {
        Count = level;
        var ring = parameters.Ring;
        BigInteger q = parameters.ModulusAt(level);
        Modulus = q;
        BigInteger t = BigInteger.One << parameters.PlaintextBits;
        BigInteger delta = BigInteger.DivRem(q, t, out BigInteger qModT);
        QModT = (ulong)qModT;
        Delta = new ulong[level];
        DeltaShoup = new ulong[level];
        ScaleInt = new ulong[level];
        ScaleFracHi = new ulong[level];
        ScaleFracLo = new ulong[level];
        BigInteger two128 = BigInteger.One << 128;
        for (int i = 0; i < level; i++)
        {
            ulong p = ring.Moduli[i].Value;
            Delta[i] = (ulong)(delta % p);
            DeltaShoup[i] = ModArith.ShoupPrecompute(Delta[i], p);
            // Decryption: t*x/q = sum_i x_i * (t * qTilde_i / p_i) - t*k with qTilde_i = (q/p_i)^-1 mod p_i.
            // Split t*qTilde_i/p_i into an integer part (kept mod 2^64; t divides 2^64) and a 128-bit fraction.
            BigInteger qi = q / p;
            BigInteger qTilde = BigInteger.ModPow(qi % p, p - 2, p);
            BigInteger num = t * qTilde;
            BigInteger whole = BigInteger.DivRem(num, p, out BigInteger rem);
            ScaleInt[i] = (ulong)(whole & ulong.MaxValue);
            BigInteger frac = rem * two128 / p;
            ScaleFracHi[i] = (ulong)(frac >> 64);
            ScaleFracLo[i] = (ulong)(frac & ulong.MaxValue);
        }
        if (level >= 2)
        {
            Modulus last = ring.Moduli[level - 1];
            LastPrime = last.Value;
            InvLast = new ulong[level - 1];
            InvLastShoup = new ulong[level - 1];
            LastModP = new ulong[level - 1];
            for (int i = 0; i < level - 1; i++)
            {
                Modulus m = ring.Moduli[i];
                LastModP[i] = ModArith.Reduce64(last.Value, m);
                InvLast[i] = ModArith.InversePrime(LastModP[i], m);
                InvLastShoup[i] = ModArith.ShoupPrecompute(InvLast[i], m.Value);
            }
        }
        else
        {
            InvLast = InvLastShoup = LastModP = [];
        }
    }

    public int Count { get; }

    public BigInteger Modulus { get; }

    public ulong[] Delta { get; }

    /// <summary>q_k mod t, for the rounding correction of the encoding.</summary>
    public ulong QModT { get; }

    public ulong[] DeltaShoup { get; }

    public ulong[] ScaleInt { get; }

    public ulong[] ScaleFracHi { get; }

    public ulong[] ScaleFracLo { get; }

    public ulong LastPrime { get; }

    public ulong[] InvLast { get; }

    public ulong[] InvLastShoup { get; }

    public ulong[] LastModP { get; }
}
