namespace SecureFed.Privacy.Accounting;

/// <summary>Converts a Renyi-DP curve (orders and RDP values) to the best (epsilon, delta) guarantee.</summary>
public static class RdpConversion
{
    /// <summary>The smallest epsilon over <paramref name="orders"/> for <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ, delta is not in (0, 1), an order is below 1 or an RDP value is negative.</exception>
    public static PrivacySpent ToEpsilon(
        IReadOnlyList<double> orders, IReadOnlyList<double> rdp, double delta, EpsilonConversion conversion = EpsilonConversion.Improved)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(rdp);
        if (orders.Count != rdp.Count || orders.Count == 0)
        {
            throw new ArgumentException("orders and rdp must have the same, non-zero length", nameof(rdp));
        }
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "delta must be in (0, 1)");
        }
        double best = double.PositiveInfinity;
        double bestOrder = orders[0];
        for (int i = 0; i < orders.Count; i++)
        {
            double a = orders[i];
            double r = rdp[i];
            if (!(a >= 1))
            {
                throw new ArgumentException($"order {a} is below 1", nameof(orders));
            }
            if (r < 0 || double.IsNaN(r))
            {
                throw new ArgumentException($"RDP value {r} at order {a} is negative or NaN", nameof(rdp));
            }
            double eps = conversion == EpsilonConversion.Classic ? Classic(a, r, delta) : Improved(a, r, delta);
            if (eps < best)
            {
                best = eps;
                bestOrder = a;
            }
        }
        return new PrivacySpent(Math.Max(0, best), delta, bestOrder, conversion);
    }

    private static double Classic(double a, double r, double delta) =>
        a > 1 ? r + (Math.Log(1 / delta) / (a - 1)) : double.PositiveInfinity;

    private static double Improved(double a, double r, double delta)
    {
        if ((delta * delta) + ExpM1(-r) > 0)
        {
            return 0; // Pinsker-type bound: delta <= sqrt(1 - exp(-KL)) already holds at epsilon 0.
        }
        if (a > 1.01)
        {
            // The bound is numerically unstable as alpha -> 1 and useless there anyway.
            return r + Math.Log(1 - (1 / a)) - (Math.Log(delta * a) / (a - 1));
        }
        return double.PositiveInfinity;
    }

    private static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1;
}
