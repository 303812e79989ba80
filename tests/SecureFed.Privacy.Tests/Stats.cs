namespace SecureFed.Privacy.Tests;

/// <summary>Small statistics helpers for the sampler tests.</summary>
internal static class Stats
{
    /// <summary>
    /// Upper critical value of chi-square with df degrees of freedom at tail probability 1e-6 (Wilson-Hilferty;
    /// z = 4.753 is the standard normal 1 - 1e-6 quantile). Tests use fixed seeds, so a correct sampler passes
    /// deterministically; a wrong one fails with overwhelming probability.
    /// </summary>
    public static double ChiSquareCritical(int df)
    {
        const double z = 4.753;
        double a = 2.0 / (9 * df);
        return df * Math.Pow(1 - a + (z * Math.Sqrt(a)), 3);
    }

    /// <summary>Chi-square statistic over integer support: tails pooled, thin adjacent cells merged to expect at least 5 each.</summary>
    public static (double Statistic, int DegreesOfFreedom) ChiSquare(IReadOnlyList<long> samples, Func<long, double> pmf, long lo, long hi)
    {
        // Shrink the requested window so that each pooled tail expects at least 5 observations.
        double Upper(long k) => Enumerable.Range(0, 2001).Sum(j => pmf(k + j));
        double Lower(long k) => Enumerable.Range(0, 2001).Sum(j => pmf(k - j));
        while (hi > 0 && Upper(hi) * samples.Count < 5)
        {
            hi--;
        }
        while (lo < hi && Lower(lo) * samples.Count < 5)
        {
            lo++;
        }
        var counts = new Dictionary<long, long>();
        foreach (long s in samples)
        {
            long k = Math.Clamp(s, lo, hi);
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        int n = samples.Count;
        // Cells: (-inf, lo], lo+1 .. hi-1, [hi, inf).
        var expected = new List<double>();
        var observed = new List<double>();
        double lowTail = 0;
        for (long k = lo - 2000; k <= lo; k++)
        {
            lowTail += pmf(k);
        }
        double highTail = 0;
        for (long k = hi; k <= hi + 2000; k++)
        {
            highTail += pmf(k);
        }
        expected.Add(lowTail * n);
        observed.Add(counts.GetValueOrDefault(lo));
        for (long k = lo + 1; k < hi; k++)
        {
            expected.Add(pmf(k) * n);
            observed.Add(counts.GetValueOrDefault(k));
        }
        expected.Add(highTail * n);
        observed.Add(counts.GetValueOrDefault(hi));
        // Merge adjacent cells until each expects at least 5 observations (wide distributions have thin cells).
        var mergedExpected = new List<double>();
        var mergedObserved = new List<double>();
        double e = 0, o = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            e += expected[i];
            o += observed[i];
            if (e >= 5)
            {
                mergedExpected.Add(e);
                mergedObserved.Add(o);
                e = 0;
                o = 0;
            }
        }
        if (e > 0 || o > 0)
        {
            mergedExpected[^1] += e;
            mergedObserved[^1] += o;
        }
        double stat = 0;
        int cells = mergedExpected.Count;
        for (int i = 0; i < cells; i++)
        {
            stat += (mergedObserved[i] - mergedExpected[i]) * (mergedObserved[i] - mergedExpected[i]) / mergedExpected[i];
        }
        return (stat, cells - 1);
    }

    public static (double Mean, double Variance) MeanVariance(IReadOnlyList<long> samples)
    {
        double mean = samples.Average(x => (double)x);
        double variance = samples.Sum(x => (x - mean) * (x - mean)) / (samples.Count - 1);
        return (mean, variance);
    }

    /// <summary>The discrete Gaussian pmf for sigma^2, normalised over a wide window.</summary>
    public static Func<long, double> DiscreteGaussianPmf(double sigma2)
    {
        long w = (long)(Math.Sqrt(sigma2) * 40) + 50;
        double z = 0;
        for (long k = -w; k <= w; k++)
        {
            z += Math.Exp(-(double)k * k / (2 * sigma2));
        }
        return k => Math.Exp(-(double)k * k / (2 * sigma2)) / z;
    }

    /// <summary>The symmetric Skellam pmf (difference of two Poisson(mu/2)), by convolution.</summary>
    public static Func<long, double> SkellamPmf(double mu)
    {
        double lambda = mu / 2;
        int max = (int)(lambda + (40 * Math.Sqrt(lambda + 1)) + 40);
        var poisson = new double[max + 1];
        for (int k = 0; k <= max; k++)
        {
            poisson[k] = Math.Exp(-lambda + (k * Math.Log(lambda)) - LogFactorial(k));
        }
        return k =>
        {
            long a = Math.Abs(k);
            double s = 0;
            for (long j = 0; j + a <= max; j++)
            {
                s += poisson[j + a] * poisson[j];
            }
            return s;
        };
    }

    private static double LogFactorial(int k)
    {
        double s = 0;
        for (int i = 2; i <= k; i++)
        {
            s += Math.Log(i);
        }
        return s;
    }
}
