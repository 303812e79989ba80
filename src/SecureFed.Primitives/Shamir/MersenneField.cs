namespace SecureFed.Primitives.Shamir;

/// <summary>
/// Arithmetic in GF(p), p = 2^61 - 1 (a Mersenne prime, so reduction is shifts and adds). Elements are
/// <see cref="ulong"/> values in [0, p). Secret-independent timing: no branches on values except the final
/// conditional subtraction, done with a mask.
/// </summary>
public static class MersenneField
{
    /// <summary>The field modulus 2^61 - 1.</summary>
    public const ulong P = (1UL << 61) - 1;

    /// <summary>a + b mod p.</summary>
    public static ulong Add(ulong a, ulong b) => Reduce(a + b);

    /// <summary>a - b mod p.</summary>
    public static ulong Sub(ulong a, ulong b) => Reduce(a + P - b);

    /// <summary>a * b mod p.</summary>
    public static ulong Mul(ulong a, ulong b)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        // a, b < 2^61 so the product is < 2^122: hi < 2^58. 2^64 = 2^3 * 2^61 = 8 (mod p).
        ulong x = (lo & P) + (lo >> 61) + (hi << 3);
        return Reduce(x);
    }

    /// <summary>a^-1 mod p by Fermat (a^(p-2)); a must be non-zero.</summary>
    /// <exception cref="DivideByZeroException">a is zero.</exception>
    public static ulong Inverse(ulong a)
    {
        if (a == 0)
        {
            throw new DivideByZeroException("zero has no inverse in GF(2^61-1)");
        }
        ulong result = 1, b = a, e = P - 2;
        while (e != 0)
        {
            if ((e & 1) != 0)
            {
                result = Mul(result, b);
            }
            b = Mul(b, b);
            e >>= 1;
        }
        return result;
    }

    // Folds x < 2^63 + 2^61 into [0, p).
    private static ulong Reduce(ulong x)
    {
        x = (x & P) + (x >> 61);
        // Branchless: subtract p when x >= p.
        ulong ge = (ulong)-(long)((x - P) >> 63 ^ 1);
        return x - (P & ge);
    }
}
