namespace SecureFed.Privacy.Accounting;

/// <summary>Log-space arithmetic and the complementary error function for the accountant (not the sampler).</summary>
internal static class LogMath
{
    private static readonly double LogSqrtPi = 0.5 * Math.Log(Math.PI);

    /// <summary>log(e^a + e^b) without overflow.</summary>
    public static double LogAdd(double a, double b)
    {
        double hi = Math.Max(a, b);
        double lo = Math.Min(a, b);
        return double.IsNegativeInfinity(hi) ? lo : hi + Math.Log(1 + Math.Exp(lo - hi));
    }

    /// <summary>log(erfc(x)), accurate in the far tail where erfc itself underflows.</summary>
    public static double LogErfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        if (x < 0)
        {
            // erfc(x) = 2 - erfc(-x), in [1, 2].
            return Math.Log(2 - Math.Exp(LogErfc(-x)));
        }
        if (x < 2.5)
        {
            return Math.Log(1 - Erf(x));
        }
        // Continued fraction (Abramowitz and Stegun 7.1.14), evaluated backwards; 120 terms converge to double
        // precision for x >= 2.5: erfc(x) = e^{-x^2} / (sqrt(pi) (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))).
        double f = x;
        for (int k = 120; k >= 1; k--)
        {
            f = x + (k / 2.0 / f);
        }
        return (-x * x) - LogSqrtPi - Math.Log(f);
    }

    /// <summary>erf(x) for 0 &lt;= x &lt; 2.5 by the all-positive series erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (2n+1)!!.</summary>
    private static double Erf(double x)
    {
        double term = x;
        double sum = x;
        double twoX2 = 2 * x * x;
        for (int n = 1; n < 200; n++)
        {
            term *= twoX2 / ((2 * n) + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    /// <summary>erfc(x) (for tests and the planner's tail bounds).</summary>
    public static double Erfc(double x) => Math.Exp(LogErfc(x));

    /// <summary>log C(n, k) for integers 0 &lt;= k &lt;= n.</summary>
    public static double LogBinomial(int n, int k)
    {
        k = Math.Min(k, n - k);
        double s = 0;
        for (int i = 0; i < k; i++)
        {
            s += Math.Log(n - i) - Math.Log(i + 1);
        }
        return s;
    }

    /// <summary>log(sum_i e^{values_i}).</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }
        if (double.IsNegativeInfinity(max) || double.IsPositiveInfinity(max))
        {
            return max;
        }
        double s = 0;
        foreach (double v in values)
        {
            s += Math.Exp(v - max);
        }
        return max + Math.Log(s);
    }
}
