namespace SecureFed.Privacy.Accounting;

/// <summary>
/// Renyi DP of the (distributed) Skellam mechanism (Agarwal, Kairouz and Liu 2021, Theorem 3.5 as used in their
/// reference accounting), in integer units: with total Skellam variance mu per coordinate (the sum of all shares),
/// eps(a) = a Delta2^2 / (2 mu) + min( ((2a - 1) Delta2^2 + 6 Delta1) / (4 mu^2), 3 Delta1 / (2 mu) ).
/// </summary>
public static class SkellamRdp
{
    /// <summary>RDP of one unsampled round at <paramref name="order"/> (&gt; 1).</summary>
    public static double Compute(double order, double l2Sensitivity, double l1Sensitivity, double totalVariance)
    {
        if (!(order > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(order), "order must be above 1");
        }
        if (!(totalVariance > 0) || double.IsInfinity(totalVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(totalVariance), "Skellam variance must be positive");
        }
        if (!(l2Sensitivity >= 0) || !(l1Sensitivity >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(l2Sensitivity), "sensitivities must be non-negative");
        }
        double a = order;
        double mu = totalVariance;
        double l22 = l2Sensitivity * l2Sensitivity;
        return (a * l22 / (2 * mu)) + Math.Min((((2 * a) - 1) * l22 + (6 * l1Sensitivity)) / (4 * mu * mu), 3 * l1Sensitivity / (2 * mu));
    }

    /// <summary>RDP at each integer order for <paramref name="steps"/> rounds with client sampling rate q.</summary>
    public static double[] Compute(
        IReadOnlyList<double> orders, double samplingRate, long steps, double l2Sensitivity, double l1Sensitivity, double totalVariance)
    {
        ArgumentNullException.ThrowIfNull(orders);
        if (!(samplingRate > 0 && samplingRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), "sampling rate must be in (0, 1]");
        }
        Compute(2, l2Sensitivity, l1Sensitivity, totalVariance); // validates
        return RdpCurve.Build(orders, samplingRate, steps, a => Compute(a, l2Sensitivity, l1Sensitivity, totalVariance));
    }
}
