using System.Numerics;

namespace SecureFed.Privacy.Sampling;

/// <summary>
/// Bernoulli(exp(-gamma)) for a non-negative rational gamma, exactly, with integer arithmetic only
/// (Canonne, Kamath and Steinke 2020, Algorithm 1). For gamma in [0, 1]: draw A_k ~ Bernoulli(gamma / k) for
/// k = 1, 2, ... until the first A_k = 0; the answer is 1 iff that k is odd (P = sum_k (-gamma)^k / k! = e^-gamma).
/// For gamma &gt; 1: floor(gamma) independent Bernoulli(e^-1) draws and one Bernoulli(e^-frac(gamma)), all must be 1.
/// </summary>
internal static class ExactBernoulliExp
{
    /// <summary>Bernoulli(exp(-1)).</summary>
    public static bool ExpMinusOne(RandomWordBuffer random)
    {
        // k = 1: Bernoulli(1/1) is always 1, so start at k = 2.
        ulong k = 2;
        while (random.NextBelow(k) == 0)
        {
            k++;
        }
        return (k & 1) == 1;
    }

    /// <summary>Bernoulli(exp(-numerator / denominator)) for numerator &lt;= denominator (gamma in [0, 1]).</summary>
    public static bool ExpMinusFraction(RandomWordBuffer random, ulong numerator, ulong denominator)
    {
        if (numerator == 0)
        {
            return true;
        }
        ulong k = 1;
        while (true)
        {
            // A_k ~ Bernoulli(numerator / (denominator * k)); when the product overflows, use the equivalent
            // Bernoulli(1/k) AND Bernoulli(numerator/denominator) (independent draws multiply probabilities).
            bool a;
            ulong high = Math.BigMul(denominator, k, out ulong product);
            if (high == 0)
            {
                a = random.NextBelow(product) < numerator;
            }
            else
            {
                a = random.NextBelow(k) == 0 && random.Bernoulli(numerator, denominator);
            }
            if (!a)
            {
                return (k & 1) == 1;
            }
            k++;
        }
    }

    /// <summary>Bernoulli(exp(-numerator / denominator)) for any 64-bit rational gamma &gt;= 0.</summary>
    public static bool ExpMinus(RandomWordBuffer random, ulong numerator, ulong denominator)
    {
        ulong whole = numerator / denominator;
        for (ulong i = 0; i < whole; i++)
        {
            if (!ExpMinusOne(random))
            {
                return false;
            }
        }
        return ExpMinusFraction(random, numerator % denominator, denominator);
    }

    /// <summary>Bernoulli(exp(-numerator / denominator)) for 128-bit rational gamma &gt;= 0.</summary>
    public static bool ExpMinus(RandomWordBuffer random, UInt128 numerator, UInt128 denominator)
    {
        if (denominator <= ulong.MaxValue && numerator <= ulong.MaxValue)
        {
            return ExpMinus(random, (ulong)numerator, (ulong)denominator);
        }
        UInt128 whole = numerator / denominator;
        for (UInt128 i = 0; i < whole; i++)
        {
            if (!ExpMinusOne(random))
            {
                return false;
            }
        }
        UInt128 rem = numerator % denominator;
        if (rem == UInt128.Zero)
        {
            return true;
        }
        ulong k = 1;
        while (true)
        {
            // Bernoulli(rem / (denominator * k)) = Bernoulli(1/k) AND Bernoulli(rem / denominator); the cheap
            // 1/k draw goes first (it is always 1 for k = 1).
            bool a = (k == 1 || random.NextBelow(k) == 0) && random.Bernoulli(rem, denominator);
            if (!a)
            {
                return (k & 1) == 1;
            }
            k++;
        }
    }

    /// <summary>
    /// Bernoulli(exp(-numerator / denominator)) with an arbitrary-size numerator: the rare fallback when the
    /// discrete Gaussian's rejection exponent does not fit 128 bits (a discrete Laplace draw far in the tail).
    /// </summary>
    public static bool ExpMinus(RandomWordBuffer random, BigInteger numerator, UInt128 denominator)
    {
        BigInteger whole = BigInteger.DivRem(numerator, (BigInteger)denominator, out BigInteger rem);
        for (BigInteger i = BigInteger.Zero; i < whole; i++)
        {
            if (!ExpMinusOne(random))
            {
                return false;
            }
        }
        return ExpMinus(random, (UInt128)rem, denominator);
    }
}
