namespace SecureFed.Privacy.Sampling;

/// <summary>
/// Poisson(lambda = N/D) for lambda &gt;= 16 in O(sqrt(lambda)) expected draws, exactly, by rejection from a
/// "plateau with geometric tails" proposal whose acceptance probability is a product of rational Bernoulli factors.
/// With m = floor(lambda) (the mode), r(k) = P(k)/P(m) = prod_{j=m+1..k} lambda/j (k &gt; m) or prod_{j=k+1..m} j/lambda
/// (k &lt; m), s = isqrt(m) + 1, rho = (s-1)/s, L = floor(lambda·rho), R = ceil(lambda/rho), the proposal weight is 1 on
/// [L, R] and rho^i at R + i and at L - i (i &gt;= 1); total weight W + 2(s - 1), W = R - L + 1, an integer. The
/// acceptance r(k)/weight(k) is: on the plateau r(k); right tail prod_{j=m+1..R} lambda/j · prod_{j=R+1..k} lambda/(rho·j);
/// left tail prod_{j=k+1..L} j/(lambda·rho) · prod_{j=L+1..m} j/lambda. Every factor is at most 1 because j &gt; R &gt;= lambda/rho
/// on the right and j &lt;= L &lt;= lambda·rho on the left, so the acceptance is drawn factor by factor (stopping at the
/// first 0). Expected acceptance is about sqrt(2 pi lambda) / (W + 2s) ~ 0.6.
/// </summary>
internal static class LargePoisson
{
    /// <summary>The smallest lambda (as floor) handled here; below it the piecewise sampler is cheaper.</summary>
    public const ulong Threshold = 16;

    public static long Sample(RandomWordBuffer random, ulong n, ulong d)
    {
        ulong m = n / d;
        ulong s = DiscreteGaussianSampler.IntegerSqrt(m) + 1;
        // L = floor(N(s-1) / (D s)), R = ceil(N s / (D (s-1))).
        ulong left = (ulong)(((UInt128)n * (s - 1)) / ((UInt128)d * s));
        UInt128 rNum = (UInt128)n * s;
        UInt128 rDen = (UInt128)d * (s - 1);
        ulong right = (ulong)((rNum + rDen - 1) / rDen);
        ulong plateau = right - left + 1;
        ulong total = checked(plateau + (2 * (s - 1)));
        while (true)
        {
            ulong u = random.NextBelow(total);
            ulong k;
            if (u < plateau)
            {
                k = left + u;
            }
            else
            {
                // Distance i >= 1 with P(i) proportional to rho^i: 1 + the number of Bernoulli(rho) successes.
                ulong i = 1;
                while (random.NextBelow(s) != 0)
                {
                    i++;
                }
                if (u - plateau < s - 1)
                {
                    k = checked(right + i);
                }
                else
                {
                    if (i > left)
                    {
                        continue; // k < 0 has probability 0
                    }
                    k = left - i;
                }
            }
            if (Accept(random, k, m, n, d, s, left, right))
            {
                return checked((long)k);
            }
        }
    }

    private static bool Accept(RandomWordBuffer random, ulong k, ulong m, ulong n, ulong d, ulong s, ulong left, ulong right)
    {
        if (k > m)
        {
            for (ulong j = m + 1; j <= k; j++)
            {
                // lambda / j = N / (D j); beyond R, lambda / (rho j) = N s / (D j (s-1)).
                bool ok = j <= right
                    ? random.Bernoulli((UInt128)n, (UInt128)d * j)
                    : random.Bernoulli((UInt128)n * s, (UInt128)d * j * (s - 1));
                if (!ok)
                {
                    return false;
                }
            }
            return true;
        }
        for (ulong j = k + 1; j <= m; j++)
        {
            // j / lambda = j D / N; up to L, j / (lambda rho) = j D s / (N (s-1)).
            bool ok = j <= left
                ? random.Bernoulli((UInt128)j * d * s, (UInt128)n * (s - 1))
                : random.Bernoulli((UInt128)j * d, (UInt128)n);
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
