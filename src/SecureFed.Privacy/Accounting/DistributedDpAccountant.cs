using SecureFed.Privacy.Pipeline;

namespace SecureFed.Privacy.Accounting;

/// <summary>
/// Tracks the privacy spent by a <see cref="DistributedDpPlan"/> over rounds. Each round is charged with the noise
/// of the clients that ACTUALLY survived (fewer survivors, less noise, more epsilon); RDP adds up over rounds and is
/// converted to (epsilon, delta) at the end, by default with the improved conversion. Not thread-safe.
/// </summary>
public sealed class DistributedDpAccountant
{
    private readonly DistributedDpPlan _plan;
    private readonly IReadOnlyList<double> _orders;
    private readonly double[] _total;
    private readonly Dictionary<int, double[]> _perSurvivorCount = [];

    /// <summary>Creates an accountant with no rounds recorded, over <paramref name="orders"/> (default <see cref="RdpOrders.Integer"/>).</summary>
    public DistributedDpAccountant(DistributedDpPlan plan, IReadOnlyList<double>? orders = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
        _orders = orders ?? RdpOrders.Integer;
        _total = new double[_orders.Count];
    }

    /// <summary>Rounds recorded so far.</summary>
    public int RoundsRecorded { get; private set; }

    /// <summary>The RDP curve of one round in which <paramref name="survivors"/> clients contributed noise.</summary>
    /// <exception cref="ArgumentOutOfRangeException">survivors is below 1.</exception>
    public IReadOnlyList<double> RoundRdp(int survivors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(survivors, 1);
        if (!_perSurvivorCount.TryGetValue(survivors, out double[]? rdp))
        {
            rdp = Compute(_plan, survivors, _orders);
            _perSurvivorCount[survivors] = rdp;
        }
        return rdp;
    }

    /// <summary>Charges one round in which <paramref name="survivors"/> clients' noise shares reached the sum.</summary>
    public void RecordRound(int survivors)
    {
        var rdp = RoundRdp(survivors);
        for (int i = 0; i < _total.Length; i++)
        {
            _total[i] += rdp[i];
        }
        RoundsRecorded++;
    }

    /// <summary>The (epsilon, plan delta) spent by all recorded rounds; epsilon 0 before any round.</summary>
    public PrivacySpent Spent(EpsilonConversion conversion = EpsilonConversion.Improved) =>
        RdpConversion.ToEpsilon(_orders, _total, _plan.Delta, conversion);

    /// <summary>The epsilon that <paramref name="rounds"/> rounds with <paramref name="survivors"/> survivors each would spend.</summary>
    public static PrivacySpent Project(
        DistributedDpPlan plan, int survivors, int rounds, EpsilonConversion conversion = EpsilonConversion.Improved)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(survivors, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rounds);
        var orders = RdpOrders.Integer;
        double[] rdp = Compute(plan, survivors, orders);
        for (int i = 0; i < rdp.Length; i++)
        {
            rdp[i] *= rounds;
        }
        return RdpConversion.ToEpsilon(orders, rdp, plan.Delta, conversion);
    }

    private static double[] Compute(DistributedDpPlan plan, int survivors, IReadOnlyList<double> orders) =>
        plan.Mechanism == DpMechanism.Skellam
            ? SkellamRdp.Compute(orders, plan.SamplingRate, 1, plan.L2Sensitivity, plan.L1Sensitivity, survivors * plan.PerClientNoiseVariance)
            : DistributedDiscreteGaussianRdp.Compute(
                orders, plan.SamplingRate, 1, plan.L2Sensitivity, plan.L1Sensitivity, plan.PerClientNoiseVariance, survivors, plan.PaddedDimension);
}
