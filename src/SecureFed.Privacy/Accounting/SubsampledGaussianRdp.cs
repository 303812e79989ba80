namespace SecureFed.Privacy.Accounting;

/// <summary>
/// Renyi DP of the Poisson-subsampled Gaussian mechanism (sensitivity 1, noise multiplier z, sampling rate q)
/// following Mironov, Talwar and Zhang 2019 ("Renyi Differential Privacy of the Sampled Gaussian Mechanism"),
/// Section 3.3: RDP(alpha) = log(A_alpha) / (alpha - 1) with A_alpha summed exactly for integer orders and by the
/// two-sided erfc series for fractional orders, computed as TF Privacy's rdp_accountant compute_rdp does.
/// </summary>
public static class SubsampledGaussianRdp
{
    /// <summary>RDP at one <paramref name="order"/> for one step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">q outside [0, 1], z negative, or order below 1 (or 1 with subsampling).</exception>
    public static double Compute(double samplingRate, double noiseMultiplier, double order)
    {
        if (!(samplingRate >= 0 && samplingRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), "sampling rate must be in [0, 1]");
        }
        if (!(noiseMultiplier >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), "noise multiplier must be non-negative");
        }
        if (!(order >= 1) || (order == 1 && samplingRate > 0 && samplingRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(order), "Renyi order must be above 1 (order 1, the KL divergence, only without subsampling)");
        }
        if (samplingRate == 0)
        {
            return 0;
        }
        if (noiseMultiplier == 0 || double.IsPositiveInfinity(order))
        {
            return double.PositiveInfinity;
        }
        if (samplingRate == 1)
        {
            return order / (2 * noiseMultiplier * noiseMultiplier);
        }
        double logA = order == Math.Floor(order) && order < int.MaxValue
            ? LogAInteger(samplingRate, noiseMultiplier, (int)order)
            : LogAFractional(samplingRate, noiseMultiplier, order);
        return logA / (order - 1);
    }

    /// <summary>RDP at every order after <paramref name="steps"/> composed steps (RDP adds up).</summary>
    public static double[] Compute(double samplingRate, double noiseMultiplier, long steps, IReadOnlyList<double> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var rdp = new double[orders.Count];
        for (int i = 0; i < rdp.Length; i++)
        {
            rdp[i] = Compute(samplingRate, noiseMultiplier, orders[i]) * steps;
        }
        return rdp;
    }

    /// <summary>Epsilon for (q, z, steps, delta) over <paramref name="orders"/> (default <see cref="RdpOrders.Gaussian"/>).</summary>
    public static PrivacySpent Epsilon(
        double samplingRate, double noiseMultiplier, long steps, double delta,
        EpsilonConversion conversion = EpsilonConversion.Improved, IReadOnlyList<double>? orders = null)
    {
        orders ??= RdpOrders.Gaussian;
        return RdpConversion.ToEpsilon(orders, Compute(samplingRate, noiseMultiplier, steps, orders), delta, conversion);
    }

    private static double LogAInteger(double q, double sigma, int alpha)
    {
        // A_alpha = sum_i C(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i) / (2 sigma^2)).
        double logA = double.NegativeInfinity;
        double logQ = Math.Log(q);
        double log1MinusQ = Math.Log(1 - q);
        double logBinomial = 0;
        for (int i = 0; i <= alpha; i++)
        {
            double s = logBinomial + (i * logQ) + ((alpha - i) * log1MinusQ) + (((double)i * i - i) / (2 * sigma * sigma));
            logA = LogMath.LogAdd(logA, s);
            logBinomial += Math.Log(alpha - i) - Math.Log(i + 1);
        }
        return logA;
    }

    private static double LogAFractional(double q, double sigma, double alpha)
    {
        // Two series (Mironov et al. 2019, Section 3.3), split at z0 where the two Gaussians' densities cross. Like the
        // current dp_accounting (TF Privacy's successor), every term enters with |C(alpha, i)|: the sum of absolute
        // values bounds A_alpha from above, so the RDP is never understated.
        double logA0 = double.NegativeInfinity;
        double logA1 = double.NegativeInfinity;
        double z0 = (sigma * sigma * Math.Log((1 / q) - 1)) + 0.5;
        double logQ = Math.Log(q);
        double log1MinusQ = Math.Log(1 - q);
        double logAbsCoef = 0; // log |C(alpha, i)|, generalised binomial
        double lastS0 = double.NegativeInfinity;
        double lastS1 = double.NegativeInfinity;
        for (int i = 0; i < MaxFractionalTerms; i++)
        {
            double j = alpha - i;
            double logT0 = logAbsCoef + (i * logQ) + (j * log1MinusQ);
            double logT1 = logAbsCoef + (j * logQ) + (i * log1MinusQ);
            double logE0 = Math.Log(0.5) + LogMath.LogErfc((i - z0) / (Math.Sqrt(2) * sigma));
            double logE1 = Math.Log(0.5) + LogMath.LogErfc((z0 - j) / (Math.Sqrt(2) * sigma));
            double logS0 = logT0 + (((double)i * i - i) / (2 * sigma * sigma)) + logE0;
            double logS1 = logT1 + ((j * j - j) / (2 * sigma * sigma)) + logE1;
            logA0 = LogMath.LogAdd(logA0, logS0);
            logA1 = LogMath.LogAdd(logA1, logS1);
            if (logS0 < lastS0 && logS1 < lastS1 && Math.Max(logS0, logS1) < -30)
            {
                return LogMath.LogAdd(logA0, logA1);
            }
            lastS0 = logS0;
            lastS1 = logS1;
            // |C(alpha, i+1)| = |C(alpha, i)| |alpha - i| / (i + 1); alpha is fractional so alpha - i is never 0.
            logAbsCoef += Math.Log(Math.Abs(alpha - i)) - Math.Log(i + 1);
        }
        return double.PositiveInfinity; // the series did not settle: report no guarantee rather than a wrong one
    }

    // dp_accounting's cap on the fractional-order series.
    private const int MaxFractionalTerms = 1000;
}
