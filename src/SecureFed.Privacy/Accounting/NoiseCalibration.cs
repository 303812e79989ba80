namespace SecureFed.Privacy.Accounting;

/// <summary>Finds the smallest noise that meets an epsilon target, by bisection on the (monotone) accountant.</summary>
public static class NoiseCalibration
{
    /// <summary>
    /// The smallest Gaussian noise multiplier z (noise std dev / L2 sensitivity) such that <paramref name="steps"/>
    /// Poisson-subsampled rounds at rate q are (epsilon, delta)-DP, to relative precision 1e-6.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range, or no z up to 10^6 meets it.</exception>
    public static double GaussianNoiseMultiplier(
        double epsilon, double delta, double samplingRate, long steps,
        EpsilonConversion conversion = EpsilonConversion.Improved, IReadOnlyList<double>? orders = null)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), "epsilon must be positive and finite");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        bool Meets(double z) => SubsampledGaussianRdp.Epsilon(samplingRate, z, steps, delta, conversion, orders).Epsilon <= epsilon;
        return Bisect(Meets, 1.0, 1e-6, 1e6) ?? throw new ArgumentOutOfRangeException(nameof(epsilon), "no noise multiplier up to 10^6 meets the target");
    }

    /// <summary>
    /// Smallest x in [min, max] (to the given relative precision) with meets(x) true, assuming meets is monotone
    /// (false below some threshold, true above); null when meets(max) is false.
    /// </summary>
    internal static double? Bisect(Func<double, bool> meets, double start, double min, double max, double relativeTolerance = 1e-6)
    {
        double hi = start;
        while (!meets(hi))
        {
            hi *= 2;
            if (hi > max)
            {
                return null;
            }
        }
        double lo = hi / 2;
        while (meets(lo))
        {
            hi = lo;
            lo /= 2;
            if (lo < min)
            {
                return hi;
            }
        }
        while (hi / lo > 1 + relativeTolerance)
        {
            double mid = Math.Sqrt(lo * hi);
            if (meets(mid))
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
        return hi;
    }
}
