using System.Runtime.CompilerServices;

namespace SecureFed.Lattice.Ring;

/// <summary>
/// Word-sized modular arithmetic for moduli below 2^60 (so 4p fits in 63 bits and lazy NTT values never
/// overflow). Every reduction is branchless: the JIT compiles <c>?:</c> on ulong to a jump, which mispredicts
/// half the time on random residues; the sign-mask form below compiles to sar/and/add.
/// </summary>
internal static class ModArith
{
    /// <summary>x in [0, 2p) to [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReduceOnce(ulong x, ulong p)
    {
        ulong r = x - p;
        return r + (p & (ulong)((long)r >> 63));
    }

    /// <summary>(a + b) mod p for a, b in [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong a, ulong b, ulong p) => ReduceOnce(a + b, p);

    /// <summary>(a - b) mod p for a, b in [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sub(ulong a, ulong b, ulong p)
    {
        ulong r = a - b;
        return r + (p & (ulong)((long)r >> 63));
    }

    /// <summary>Shoup's precomputed quotient floor(w * 2^64 / p) for a constant multiplier w &lt; p.</summary>
    public static ulong ShoupPrecompute(ulong w, ulong p) => (ulong)(((UInt128)w << 64) / p);

    /// <summary>x * w mod p in [0, 2p) for any 64-bit x (Harvey 2014, lemma on Shoup multiplication).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulShoupLazy(ulong x, ulong w, ulong wShoup, ulong p)
    {
        ulong q = Math.BigMul(x, wShoup, out _);
        return x * w - q * p;
    }

    /// <summary>x * w mod p in [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulShoup(ulong x, ulong w, ulong wShoup, ulong p) => ReduceOnce(MulShoupLazy(x, w, wShoup, p), p);

    /// <summary>
    /// Barrett reduction of the 128-bit value hi:lo modulo p with ratio = floor(2^128 / p) = ratioHi:ratioLo.
    /// The quotient estimate is floor(x * ratio / 2^128) computed from the three partial products that reach
    /// the top word; dropping the lowest partial product and the truncation of the ratio each cost at most 1,
    /// so the remainder lands in [0, 3p) and two conditional subtractions finish.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Reduce128(ulong hi, ulong lo, ulong p, ulong ratioHi, ulong ratioLo)
    {
        // (hi*2^64 + lo) * (rh*2^64 + rl) / 2^128 = hi*rh + (hi*rl + lo*rh)/2^64 + lo*rl/2^128
        ulong carry = Math.BigMul(lo, ratioLo, out _);
        UInt128 mid = Math.BigMul(lo, ratioHi) + carry;
        mid += Math.BigMul(hi, ratioLo);
        ulong q = (ulong)(mid >> 64) + hi * ratioHi;
        ulong r = lo - q * p;
        return ReduceOnce(ReduceOnce(r - p + (p & (ulong)((long)(r - 2 * p) >> 63)), p), p);
    }

    /// <summary>a * b mod p via 64x64-&gt;128 multiplication and Barrett reduction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mul(ulong a, ulong b, Modulus m)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        return Reduce128(hi, lo, m.Value, m.RatioHi, m.RatioLo);
    }

    /// <summary>x mod p for any 64-bit x (Barrett with floor(2^64 / p)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Reduce64(ulong x, Modulus m)
    {
        ulong q = Math.BigMul(x, m.Ratio64, out _);
        ulong r = x - q * m.Value; // in [0, 2p): the estimate is short by at most one
        return ReduceOnce(r, m.Value);
    }

    /// <summary>b^e mod p.</summary>
    public static ulong Pow(ulong b, ulong e, Modulus m)
    {
        ulong result = 1 % m.Value;
        b = Reduce64(b, m);
        while (e != 0)
        {
            if ((e & 1) != 0)
            {
                result = Mul(result, b, m);
            }
            b = Mul(b, b, m);
            e >>= 1;
        }
        return result;
    }

    /// <summary>a^-1 mod p for prime p (Fermat); a must be non-zero mod p.</summary>
    public static ulong InversePrime(ulong a, Modulus m)
    {
        ulong r = Reduce64(a, m);
        if (r == 0)
        {
            throw new ArgumentException("zero has no inverse", nameof(a));
        }
        return Pow(r, m.Value - 2, m);
    }
}
