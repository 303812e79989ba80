namespace SecureFed.Privacy.Sampling;

/// <summary>
/// Poisson(lambda) for a rational lambda, exactly, with integer arithmetic only. lambda is split into
/// floor(2·lambda) pieces of 1/2 plus a remainder below 1/2, and each piece gamma = p/q &lt;= 1/2 is sampled by
/// rejection: J = the number of successes of Bernoulli(gamma/1), Bernoulli(gamma/2), ... before the first failure
/// has P(J &gt;= k) = gamma^k / k!, hence P(J = k) = (gamma^k / k!)(1 - gamma/(k+1)); accepting J = k with
/// probability (1 - gamma)(k+1) / (k + 1 - gamma) = (q - p)(k + 1) / ((k + 1)q - p) leaves P(k) proportional to
/// gamma^k / k!, the Poisson law (overall acceptance (1 - gamma)e^gamma &gt;= 0.82 for gamma &lt;= 1/2).
/// Cost grows linearly with lambda, so lambda &gt;= 16 goes to <see cref="LargePoisson"/> (O(sqrt(lambda))).
/// </summary>
internal static class ExactPoisson
{
    /// <summary>One Poisson(numerator / denominator) sample.</summary>
    public static long Sample(RandomWordBuffer random, ulong numerator, ulong denominator)
    {
        if (numerator / denominator >= LargePoisson.Threshold)
        {
            return LargePoisson.Sample(random, numerator, denominator);
        }
        // 2·lambda = 2·numerator / denominator: the count of whole halves, then the remainder (2·num mod den)/(2·den).
        UInt128 twiceNumerator = 2 * (UInt128)numerator;
        UInt128 halves = twiceNumerator / denominator;
        ulong remainderNumerator = (ulong)(twiceNumerator % denominator);
        UInt128 remainderDenominator = 2 * (UInt128)denominator;
        long total = 0;
        for (UInt128 i = 0; i < halves; i++)
        {
            total = checked(total + HalfRate(random));
        }
        if (remainderNumerator != 0)
        {
            total = checked(total + SmallRate(random, remainderNumerator, remainderDenominator));
        }
        return total;
    }

    /// <summary>
    /// Poisson(1/2), the same rejection specialised to p/q = 1/2: the first Bernoulli(1/2) is one bit, and J = 0 is
    /// always accepted ((q - p)·1 / (q - p) = 1), so half of all pieces cost a single random bit.
    /// </summary>
    private static long HalfRate(RandomWordBuffer random)
    {
        while (true)
        {
            if (!random.NextBit())
            {
                return 0;
            }
            ulong j = 1;
            while (random.NextBelow(2 * (j + 1)) == 0)
            {
                j++;
            }
            // Accept J = j with probability (q - p)(j + 1) / ((j + 1)q - p) = (j + 1) / (2j + 1).
            if (random.NextBelow((2 * j) + 1) < j + 1)
            {
                return (long)j;
            }
        }
    }

    private static long SmallRate(RandomWordBuffer random, UInt128 p, UInt128 q)
    {
        while (true)
        {
            long j = 0;
            while (random.Bernoulli(p, q * (UInt128)(ulong)(j + 1)))
            {
                j++;
            }
            UInt128 k1 = (ulong)(j + 1);
            if (random.Bernoulli((q - p) * k1, (k1 * q) - p))
            {
                return j;
            }
        }
    }
}
