namespace SecureFed.Privacy.Accounting;

/// <summary>
/// Renyi DP of the distributed discrete Gaussian (Kairouz, Liu and Steinke 2021, Theorem 1 / Proposition 14):
/// m clients each add N_Z(0, sigma^2) (integer units) to an integer vector of dimension d with L2 sensitivity
/// Delta2 and L1 sensitivity Delta1. With tau = 10 sum_{k=1}^{m-1} exp(-2 pi^2 sigma^2 k/(k+1)), s2 = Delta2 / (sqrt(m) sigma)
/// and s1 = Delta1 / (sqrt(m) sigma):
/// eps(a) = min( a/2 s2^2 + tau d,  a/2 (s2^2 + 2 s1 tau + tau^2 d),  a/2 (s2 + sqrt(d) tau)^2 ).
/// Poisson subsampling uses <see cref="SubsampledRdp"/> (integer orders).
/// </summary>
public static class DistributedDiscreteGaussianRdp
{
    /// <summary>The tau of Kairouz et al. for <paramref name="clients"/> shares of variance <paramref name="localVariance"/>.</summary>
    public static double Tau(double localVariance, int clients)
    {
        double tau = 0;
        for (int k = 1; k < clients; k++)
        {
            double term = Math.Exp(-2 * Math.PI * Math.PI * localVariance * k / (k + 1));
            tau += term;
            if (term == 0)
            {
                break; // terms decrease in k only up to a factor 2 in the exponent; once 0, the rest underflow too
            }
        }
        return 10 * tau;
    }

    /// <summary>RDP of one unsampled round at integer <paramref name="order"/>.</summary>
    public static double Compute(int order, double l2Sensitivity, double l1Sensitivity, double localVariance, int clients, long dimension)
    {
        Validate(l2Sensitivity, l1Sensitivity, localVariance, clients, dimension);
        return Unsampled(order, l2Sensitivity, l1Sensitivity, localVariance, clients, dimension, Tau(localVariance, clients));
    }

    /// <summary>
    /// RDP at each integer order of <paramref name="orders"/> for <paramref name="steps"/> rounds with client
    /// sampling rate <paramref name="samplingRate"/> (minimum of the Zhu-Wang bound and the unsampled bound).
    /// </summary>
    public static double[] Compute(
        IReadOnlyList<double> orders, double samplingRate, long steps,
        double l2Sensitivity, double l1Sensitivity, double localVariance, int clients, long dimension)
    {
        ArgumentNullException.ThrowIfNull(orders);
        Validate(l2Sensitivity, l1Sensitivity, localVariance, clients, dimension);
        if (!(samplingRate > 0 && samplingRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), "sampling rate must be in (0, 1]");
        }
        double tau = Tau(localVariance, clients);
        double Eps(int a) => Unsampled(a, l2Sensitivity, l1Sensitivity, localVariance, clients, dimension, tau);
        return RdpCurve.Build(orders, samplingRate, steps, Eps);
    }

    private static double Unsampled(int a, double l2, double l1, double variance, int clients, long dimension, double tau)
    {
        if (a < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(a), "order must be an integer of at least 2");
        }
        double sd = Math.Sqrt(clients * variance);
        double s2 = l2 / sd;
        double s1 = l1 / sd;
        double d = dimension;
        double t1 = (a / 2.0 * s2 * s2) + (tau * d);
        double t2 = a / 2.0 * ((s2 * s2) + (2 * s1 * tau) + (tau * tau * d));
        double root = s2 + (Math.Sqrt(d) * tau);
        double t3 = a / 2.0 * root * root;
        return Math.Min(t1, Math.Min(t2, t3));
    }

    private static void Validate(double l2, double l1, double variance, int clients, long dimension)
    {
        if (!(l2 >= 0) || double.IsInfinity(l2))
        {
            throw new ArgumentOutOfRangeException(nameof(l2), "L2 sensitivity must be finite and non-negative");
        }
        if (!(l1 >= 0) || double.IsInfinity(l1))
        {
            throw new ArgumentOutOfRangeException(nameof(l1), "L1 sensitivity must be finite and non-negative");
        }
        if (!(variance > 0) || double.IsInfinity(variance))
        {
            throw new ArgumentOutOfRangeException(nameof(variance), "local noise variance must be positive");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
    }
}
