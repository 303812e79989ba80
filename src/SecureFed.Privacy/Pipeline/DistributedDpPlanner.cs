using SecureFed.Privacy.Accounting;

namespace SecureFed.Privacy.Pipeline;

/// <summary>
/// Chooses gamma, bits and the per-client noise for a distributed-DP target. For a candidate central noise std dev
/// sigma_c (original units, the noise of t survivors' shares together) the scale gamma is the smallest that keeps
/// the wrap-around bound of <see cref="DistributedDpPlan.WrapAroundProbabilityBound"/> below the target; the
/// per-client variance is sigma_c^2 / (gamma^2 t), rounded UP to a dyadic rational; the smallest sigma_c whose plan
/// meets epsilon with only t survivors is found by bisection. When bits are not given, the planner returns the
/// smallest bits whose decoded-sum mean squared error is within 10% of an ideal continuous Gaussian mechanism.
/// </summary>
public static class DistributedDpPlanner
{
    // Bits are "enough" when the decoded sum's MSE (noise plus rounding) is within 10% of the continuous Gaussian's.
    private const double AcceptableMseOverhead = 1.10;

    /// <summary>Plans the configuration for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    /// <exception cref="DpPlanningException">No configuration meets the targets (for example, too few bits).</exception>
    public static DistributedDpPlan Plan(DistributedDpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        if (options.Bits is int bits)
        {
            return PlanForBits(options, bits)
                ?? throw new DpPlanningException($"no plan with {bits} bits meets epsilon {options.Epsilon} and wrap-around target {options.WrapAroundProbability}; use more bits");
        }
        double ideal = IdealCentralStdDev(options);
        int t = Survivors(options);
        int firstBits = (int)Math.Ceiling(Math.Log2(options.ExpectedClients + 1)) + 2;
        var candidates = new List<(DistributedDpPlan Plan, double Overhead)>();
        for (int b = Math.Min(firstBits, 64); b <= 64; b++)
        {
            DistributedDpPlan? plan = PlanForBits(options, b);
            if (plan is null)
            {
                continue;
            }
            double overhead = MseOverhead(plan, t, ideal);
            if (overhead <= AcceptableMseOverhead)
            {
                return plan;
            }
            candidates.Add((plan, overhead));
        }
        if (candidates.Count == 0)
        {
            throw new DpPlanningException(options.Mechanism == DpMechanism.Skellam
                ? $"no bit width up to 64 meets the targets within the Skellam variance cap {DistributedDpPlan.MaxSkellamVariance} (integer units); use the discrete Gaussian, a larger epsilon or a smaller dimension"
                : "no bit width up to 64 meets the targets");
        }
        double best = candidates.Min(c => c.Overhead);
        return candidates.First(c => c.Overhead <= best * 1.02).Plan;
    }

    /// <summary>
    /// Mean squared error per coordinate of the decoded sum with t survivors (noise plus at most 1/4 rounding variance
    /// per client, times gamma^2) over that of the continuous Gaussian meeting the same target.
    /// </summary>
    public static double MseOverhead(DistributedDpPlan plan, int survivors, double idealCentralStdDev)
    {
        ArgumentNullException.ThrowIfNull(plan);
        double mse = plan.Scale * plan.Scale * survivors * (plan.PerClientNoiseVariance + 0.25);
        return mse / (idealCentralStdDev * idealCentralStdDev);
    }

    /// <summary>The central noise std dev (original units) a continuous Gaussian mechanism would need for the target.</summary>
    public static double IdealCentralStdDev(DistributedDpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ClipNorm * NoiseCalibration.GaussianNoiseMultiplier(
            options.Epsilon, options.Delta, options.SamplingRate, options.Rounds, options.Conversion);
    }

    /// <summary>
    /// The plan for a GIVEN central noise std dev (original units; the noise of t survivors' shares together) and the
    /// options' bits: gamma from the wrap-around target, per-client variance sigma_c^2 / (gamma^2 t) rounded up.
    /// The options' Epsilon is ignored except as the recorded target; read the guarantee from PlannedEpsilon.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range, Bits is null, or the noise is not positive.</exception>
    /// <exception cref="DpPlanningException">The bits cannot hold the sum within the wrap-around target.</exception>
    public static DistributedDpPlan PlanForNoise(DistributedDpOptions options, double centralStdDev)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options with { Epsilon = double.IsFinite(options.Epsilon) && options.Epsilon > 0 ? options.Epsilon : 1 });
        if (options.Bits is not int bits)
        {
            throw new ArgumentException("Bits must be set", nameof(options));
        }
        if (!(centralStdDev > 0) || double.IsInfinity(centralStdDev))
        {
            throw new ArgumentOutOfRangeException(nameof(centralStdDev), "central noise std dev must be positive and finite");
        }
        return Builder(options, bits)?.Invoke(centralStdDev)
            ?? throw new DpPlanningException($"{bits} bits cannot hold the sum within wrap-around target {options.WrapAroundProbability}");
    }

    private static Func<double, DistributedDpPlan?>? Builder(DistributedDpOptions o, int bits)
    {
        int n = o.ExpectedClients;
        int t = Survivors(o);
        double m = Math.Pow(2, bits - 1);
        if (m <= n + 1)
        {
            return null;
        }

        int padded = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)o.Dimension);
        double k2 = 2 * Math.Log(2.0 * padded / o.WrapAroundProbability);
        double varianceCap = o.Mechanism == DpMechanism.Skellam ? DistributedDpPlan.MaxSkellamVariance : DistributedDpPlan.MaxDiscreteGaussianVariance;
        double c = o.ClipNorm;

        DistributedDpPlan? Build(double sigmaC)
        {
            // Smallest gamma with (M - n)^2 >= K^2 V; 0.1% margin for rounding the variance up.
            double gammaWrap = Math.Sqrt(k2 * ((n * n * c * c / padded) + (n * sigmaC * sigmaC / t))) / (m - n) * 1.001;
            double gamma = Math.Max(gammaWrap, Math.Max(sigmaC / Math.Sqrt(varianceCap * t), c / DistributedDpPlan.MaxScaledClip));
            (ulong num, ulong den) = DyadicCeiling(sigmaC * sigmaC / (gamma * gamma * t));
            try
            {
                var plan = DistributedDpPlan.Create(
                    o.Mechanism, o.Dimension, c, gamma, bits, num, den, n, t, o.Delta, o.RoundingBeta, o.Rounds, o.SamplingRate, o.Epsilon);
                return plan.WrapAroundProbabilityBound <= o.WrapAroundProbability ? plan : null;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        return Build;
    }

    private static DistributedDpPlan? PlanForBits(DistributedDpOptions o, int bits)
    {
        Func<double, DistributedDpPlan?>? build = Builder(o, bits);
        if (build is null)
        {
            return null;
        }

        bool Meets(double sigmaC)
        {
            DistributedDpPlan? plan = build(sigmaC);
            return plan is not null && Epsilon(plan, o) <= o.Epsilon;
        }

        double c = o.ClipNorm;
        // 1e-4 relative precision on the noise: far below what the MSE or epsilon can notice, and 7 fewer accountant runs.
        double? best = NoiseCalibration.Bisect(Meets, c, c * 1e-6, c * 1e9, 1e-4);
        return best is double s ? build(s) : null;
    }

    private static double Epsilon(DistributedDpPlan plan, DistributedDpOptions o) =>
        o.Conversion == EpsilonConversion.Improved
            ? plan.PlannedEpsilon
            : DistributedDpAccountant.Project(plan, plan.MinimumSurvivors, plan.Rounds, o.Conversion).Epsilon;

    /// <summary>The smallest num / 2^k &gt;= v with num around 2^20 or more (relative rounding at most 2^-20), k &lt;= 40.</summary>
    internal static (ulong Numerator, ulong Denominator) DyadicCeiling(double v)
    {
        int k = Math.Clamp(20 - (int)Math.Floor(Math.Log2(v)), 0, 40);
        double scaled = Math.Ceiling(v * Math.Pow(2, k));
        return (Math.Max(1UL, (ulong)scaled), 1UL << k);
    }

    private static int Survivors(DistributedDpOptions o) => o.MinimumSurvivors == 0 ? o.ExpectedClients : o.MinimumSurvivors;

    private static void Validate(DistributedDpOptions o)
    {
        if (!(o.Epsilon > 0) || double.IsInfinity(o.Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(o.Epsilon), "Epsilon must be positive and finite");
        }
        if (!(o.Delta > 0 && o.Delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(o.Delta), "Delta must be in (0, 1)");
        }
        if (!(o.ClipNorm > 0) || double.IsInfinity(o.ClipNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(o.ClipNorm), "ClipNorm must be positive and finite");
        }
        if (o.ExpectedClients < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o.ExpectedClients), "ExpectedClients must be at least 1");
        }
        if (o.MinimumSurvivors < 0 || o.MinimumSurvivors > o.ExpectedClients)
        {
            throw new ArgumentOutOfRangeException(nameof(o.MinimumSurvivors), "MinimumSurvivors must be in [0, ExpectedClients] (0 = ExpectedClients)");
        }
        if (o.Dimension < 1 || o.Dimension > 1 << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(o.Dimension), "Dimension must be in [1, 2^30]");
        }
        if (o.Bits is int b && (b < 1 || b > 64))
        {
            throw new ArgumentOutOfRangeException(nameof(o.Bits), "Bits must be in [1, 64]");
        }
        if (o.Rounds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o.Rounds), "Rounds must be at least 1");
        }
        if (!(o.SamplingRate > 0 && o.SamplingRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(o.SamplingRate), "SamplingRate must be in (0, 1]");
        }
        if (!(o.WrapAroundProbability > 0 && o.WrapAroundProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(o.WrapAroundProbability), "WrapAroundProbability must be in (0, 1)");
        }
        if (!(o.RoundingBeta >= 0 && o.RoundingBeta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(o.RoundingBeta), "RoundingBeta must be in [0, 1)");
        }
        if (!Enum.IsDefined(o.Mechanism))
        {
            throw new ArgumentOutOfRangeException(nameof(o.Mechanism), "unknown Mechanism");
        }
    }
}
