namespace SecureFed.Audit.Verification;

/// <summary>
/// Pearson's chi-square goodness-of-fit test of words against the uniform distribution: each word is binned by its
/// top 8 bits (256 bins; fewer bits use 2^bits bins). The p-value uses the Wilson-Hilferty cube-root normal
/// approximation of the chi-square tail (accurate to about 1e-3 relative for 255 degrees of freedom, far finer than
/// the 1e-3 significance level it is compared with).
/// </summary>
public static class ChiSquareUniformity
{
    /// <summary>Significance level: a p-value below it rejects uniformity.</summary>
    public const double Alpha = 1e-3;

    /// <summary>Expected count per bin needed for the chi-square approximation to hold (the usual rule of five).</summary>
    public const int MinExpectedPerBin = 5;

    /// <summary>Tests <paramref name="words"/> (each below 2^<paramref name="bits"/>).</summary>
    public static ChiSquareResult Test(IEnumerable<ulong> words, int bits)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 64);
        int binBits = Math.Min(8, bits);
        int shift = bits - binBits;
        var counts = new long[1 << binBits];
        long n = 0;
        foreach (ulong w in words)
        {
            counts[(int)((w >> shift) & (ulong)(counts.Length - 1))]++;
            n++;
        }
        return FromCounts(counts, n);
    }

    /// <summary>Tests bytes (256 bins).</summary>
    public static ChiSquareResult TestBytes(IEnumerable<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Test(bytes.Select(b => (ulong)b), 8);
    }

    private static ChiSquareResult FromCounts(long[] counts, long n)
    {
        int df = counts.Length - 1;
        if (n < (long)MinExpectedPerBin * counts.Length)
        {
            return new ChiSquareResult(n, counts.Length, double.NaN, double.NaN, Enough: false, counts);
        }
        double expected = (double)n / counts.Length;
        double x = 0;
        foreach (long c in counts)
        {
            x += (c - expected) * (c - expected) / expected;
        }
        // Wilson-Hilferty: (X/k)^(1/3) is approximately normal with mean 1 - 2/(9k) and variance 2/(9k).
        double v = 2.0 / (9.0 * df);
        double z = (Math.Cbrt(x / df) - (1 - v)) / Math.Sqrt(v);
        return new ChiSquareResult(n, counts.Length, x, UpperNormalTail(z), Enough: true, counts);
    }

    // P(Z > z) = erfc(z / sqrt 2) / 2, erfc by the Chebyshev fit of Numerical Recipes (erfcc, fractional error < 1.2e-7).
    internal static double UpperNormalTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    internal static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
