namespace SecureFed.Privacy.Sampling;

/// <summary>
/// Poisson(lambda) for a rational lambda, exactly, with integer arithmetic only. lambda is split into
/// floor(2·lambda) pieces of 1/2 plus a remainder below 1/2, and each piece gamma = p/q &lt;= 1/2 is sampled by
/// rejection: J = the number of successes of Bernoulli(gamma/1), Bernoulli(gamma/2), ... before the first failure
/// has P(J &gt;= k) = gamma^k / k!, hence P(J = k) = (gamma^k / k!)(1 - gamma/(k+1)); accepting J = k with
/// probability (1 - gamma)(k+1) / (k + 1 - gamma) = (q - p)(k + 1) / ((k + 1)q - p) leaves P(k) proportional to
/// gamma^k / k!, the Poisson law (overall acceptance (1 - gamma)e^gamma &gt;= 0.82 for gamma &lt;= 1/2).
/// Cost grows linearly with lambda.
/// </summary>
internal static class ExactPoisson
{
    /// <summary>One Poisson(numerator / denominator) sample.</summary>
    public static long Sample(RandomWordBuffer random, ulong numerator, ulong denominator)
    {
        // 2·lambda = 2·numerator / denominator: the count of whole halves, then the remainder (2·num mod den)/(2·den).
        UInt128 twiceNumerator = 2 * (UInt128)numerator;
        UInt128 halves = twiceNumerator / denominator;
        ulong remainderNumerator = (ulong)(twiceNumerator % denominator);
        UInt128 remainderDenominator = 2 * (UInt128)denominator;
        long total = 0;
        for (UInt128 i = 0; i < halves; i++)
        {
            total = checked(total + SmallRate(random, 1, 2));
        }
        if (remainderNumerator != 0)
        {
            total = checked(total + SmallRate(random, remainderNumerator, remainderDenominator));
        }
        return total;
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
