namespace SecureFed.Privacy.Accounting;

/// <summary>Builds a composed RDP curve from a per-round bound, with optional subsampling amplification.</summary>
internal static class RdpCurve
{
    public static double[] Build(IReadOnlyList<double> orders, double samplingRate, long steps, Func<int, double> eps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var rdp = new double[orders.Count];
        Dictionary<int, double> cache = [];
        double Cached(int a)
        {
            if (!cache.TryGetValue(a, out double v))
            {
                v = eps(a);
                cache[a] = v;
            }
            return v;
        }
        for (int i = 0; i < rdp.Length; i++)
        {
            double order = orders[i];
            if (order != Math.Floor(order) || order < 2 || order > 100_000)
            {
                throw new ArgumentException($"order {order} must be an integer of at least 2 for this mechanism", nameof(orders));
            }
            int a = (int)order;
            double unsampled = Cached(a);
            double value = samplingRate >= 1 ? unsampled : Math.Min(unsampled, SubsampledRdp.Compute(a, samplingRate, Cached));
            rdp[i] = value * steps;
        }
        return rdp;
    }
}
