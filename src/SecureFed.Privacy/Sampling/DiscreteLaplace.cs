namespace SecureFed.Privacy.Sampling;

/// <summary>
/// The discrete Laplace distribution with integer scale t, P(x) proportional to exp(-|x| / t), sampled exactly
/// (Canonne, Kamath and Steinke 2020, Algorithm 2 with s = 1).
/// </summary>
internal static class DiscreteLaplace
{
    /// <summary>One sample with scale <paramref name="t"/> (t &gt;= 1).</summary>
    public static long Sample(RandomWordBuffer random, ulong t)
    {
        while (true)
        {
            // U uniform on {0..t-1}, kept with probability exp(-U/t): the fractional part of |X|/t.
            ulong u = random.NextBelow(t);
            if (!ExactBernoulliExp.ExpMinusFraction(random, u, t))
            {
                continue;
            }
            // V ~ Geometric(1 - e^-1): the integer part of |X|/t.
            ulong v = 0;
            while (ExactBernoulliExp.ExpMinusOne(random))
            {
                v++;
            }
            ulong magnitude = checked(u + (t * v));
            bool negative = random.NextBit();
            if (negative && magnitude == 0)
            {
                continue; // zero would otherwise be counted twice
            }
            long x = checked((long)magnitude);
            return negative ? -x : x;
        }
    }
}
