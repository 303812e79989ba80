using SecureFed.Privacy.Sampling;

namespace SecureFed.Privacy.Pipeline;

/// <summary>
/// Conditional randomized rounding (Kairouz, Liu and Steinke 2021): round each coordinate x_i to floor(x_i) + 1 with
/// probability x_i - floor(x_i), else floor(x_i) (unbiased), and retry the whole vector until sum z_i^2 &lt;= the integer
/// bound floor(Delta2^2), checked exactly in 128-bit integers. Randomness: one 64-bit word per coordinate per attempt;
/// u = word &gt;&gt; 11 (53 bits), round up iff u &lt; frac(x_i)·2^53 (the rounding is not the privacy noise; floating point
/// here only decides the unbiased rounding and is covered by the norm bound).
/// </summary>
internal static class ConditionalRounding
{
    private const double TwoTo53 = 9007199254740992.0; // 2^53

    /// <summary>Rounds <paramref name="x"/> into <paramref name="z"/>; returns the number of attempts used.</summary>
    /// <exception cref="DpRoundingException">No attempt met the bound within <paramref name="maxAttempts"/>.</exception>
    public static int Round(ReadOnlySpan<double> x, Span<long> z, ulong normSquaredBound, int maxAttempts, RandomWordBuffer random)
    {
        for (int attempt = 1; attempt <= maxAttempts; attempt++)
        {
            UInt128 normSquared = UInt128.Zero;
            for (int i = 0; i < x.Length; i++)
            {
                double floor = Math.Floor(x[i]);
                double frac = x[i] - floor;
                ulong u = random.NextUInt64() >> 11;
                long v = (long)floor + (u < frac * TwoTo53 ? 1 : 0);
                z[i] = v;
                ulong magnitude = (ulong)Math.Abs(v);
                normSquared += (UInt128)magnitude * magnitude;
            }
            if (normSquared <= normSquaredBound)
            {
                return attempt;
            }
        }
        throw new DpRoundingException($"conditional randomized rounding failed the norm bound {maxAttempts} times");
    }
}
