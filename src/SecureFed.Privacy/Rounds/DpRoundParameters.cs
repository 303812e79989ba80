using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Parameters;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Privacy.Rounds;

/// <summary>
/// Validated, immutable distributed-DP parameters of one round: the explicit <see cref="DistributedDpPlan"/> every
/// client follows (each adds its share of exact integer noise with the plan's sampler through
/// <see cref="CreateClientEncoder"/>), the noise multiplier it realises, and the per-round RDP the privacy ledger
/// charges. Built from options at open (<see cref="Create(DpRoundOptions)"/>, which runs the planner for a target
/// epsilon) or from the wire (<see cref="Create(DpRoundConfiguration)"/>, which does not).
/// </summary>
public sealed class DpRoundParameters
{
    // Bits are "enough" for a given noise multiplier when the worst-case epsilon is within 10% of a continuous
    // Gaussian's with the same multiplier.
    private const double AcceptableEpsilonOverhead = 1.10;

    private readonly DistributedDpAccountant _accountant;

    private DpRoundParameters(DistributedDpPlan plan)
    {
        Plan = plan;
        _accountant = new DistributedDpAccountant(plan);
    }

    /// <summary>The explicit plan.</summary>
    public DistributedDpPlan Plan { get; }

    /// <summary>Fewest survivors the noise is sized for: the round's worst case.</summary>
    public int MinimumSurvivors => Plan.MinimumSurvivors;

    /// <summary>
    /// The noise multiplier realised with <see cref="MinimumSurvivors"/> survivors: the standard deviation of their
    /// summed noise shares, in original units, over the clip norm (at least what was asked: variances round up).
    /// </summary>
    public double NoiseMultiplier => Plan.Scale * Math.Sqrt(Plan.MinimumSurvivors * Plan.PerClientNoiseVariance) / Plan.ClipNorm;

    /// <summary>The RDP curve (over <see cref="RdpOrders.Integer"/>) of this round when <paramref name="survivors"/> clients' noise reached the sum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">survivors is outside [1, roster size].</exception>
    public IReadOnlyList<double> RoundRdp(int survivors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(survivors, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(survivors, Plan.ExpectedClients);
        lock (_accountant)
        {
            // The accountant caches curves per survivor count and is not thread-safe; these parameters are shared.
            return _accountant.RoundRdp(survivors);
        }
    }

    /// <summary>The RDP curve of the worst case: only <see cref="MinimumSurvivors"/> survivors.</summary>
    public IReadOnlyList<double> WorstCaseRdp => RoundRdp(MinimumSurvivors);

    /// <summary>A client's encoder (clip, rotate, scale, round, add this client's noise share, reduce mod 2^Bits).</summary>
    /// <exception cref="ArgumentException">The public round seed is not 32 bytes.</exception>
    public DpClientEncoder CreateClientEncoder(ReadOnlySpan<byte> publicRoundSeed) => new(Plan, publicRoundSeed);

    /// <summary>The server's decoder of the modular sum.</summary>
    /// <exception cref="ArgumentException">The public round seed is not 32 bytes.</exception>
    public DpServerDecoder CreateServerDecoder(ReadOnlySpan<byte> publicRoundSeed) => new(Plan, publicRoundSeed);

    /// <summary>The wire form: the plan's explicit fields.</summary>
    public DpRoundConfiguration ToConfiguration() => new()
    {
        Mechanism = Plan.Mechanism,
        Dimension = Plan.Dimension,
        ClipNorm = Plan.ClipNorm,
        Scale = Plan.Scale,
        Bits = Plan.Bits,
        NoiseVarianceNumerator = Plan.NoiseVarianceNumerator,
        NoiseVarianceDenominator = Plan.NoiseVarianceDenominator,
        ExpectedClients = Plan.ExpectedClients,
        MinimumSurvivors = Plan.MinimumSurvivors,
        Delta = Plan.Delta,
        RoundingBeta = Plan.RoundingBeta,
        Rounds = Plan.Rounds,
        SamplingRate = Plan.SamplingRate,
        TargetEpsilon = Plan.TargetEpsilon,
    };

    /// <summary>Validates <paramref name="options"/> and plans the round.</summary>
    /// <exception cref="ParameterOutOfRangeException">
    /// A field is out of range (names it and the range), or no noise share reaches the target with the roster
    /// (names TargetEpsilon, Bits or NoiseMultiplier, with the reason).
    /// </exception>
    public static DpRoundParameters Create(DpRoundOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        int survivors = options.MinimumSurvivors == 0 ? options.RosterSize : options.MinimumSurvivors;
        var planning = new DistributedDpOptions
        {
            Epsilon = options.TargetEpsilon ?? double.NaN,
            Delta = options.Delta,
            ClipNorm = options.ClipNorm,
            ExpectedClients = options.RosterSize,
            MinimumSurvivors = survivors,
            Dimension = options.Dimension,
            Bits = options.Bits,
            Mechanism = options.Mechanism,
            Rounds = options.Rounds,
            SamplingRate = options.SamplingRate,
        };
        DistributedDpPlan plan = options.NoiseMultiplier is double z
            ? ForMultiplier(planning, z * options.ClipNorm, survivors)
            : ForTarget(planning, survivors);
        if (options.TargetEpsilon is double target && plan.PlannedEpsilon > target)
        {
            throw new ParameterOutOfRangeException(nameof(options.NoiseMultiplier), options.NoiseMultiplier ?? double.NaN, null,
                $"with {survivors} of {options.RosterSize} survivors it spends epsilon {plan.PlannedEpsilon:G6} over {options.Rounds} round(s), above TargetEpsilon {target:G6}");
        }
        return new DpRoundParameters(plan);
    }

    /// <summary>Validates a plan received on the wire or read from storage.</summary>
    /// <exception cref="ParameterOutOfRangeException">A field is out of range (including an unknown version).</exception>
    public static DpRoundParameters Create(DpRoundConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Version != DpRoundConfiguration.CurrentVersion)
        {
            throw new ParameterOutOfRangeException(nameof(configuration.Version), configuration.Version,
                ParameterRange.Closed(DpRoundConfiguration.CurrentVersion, DpRoundConfiguration.CurrentVersion));
        }
        try
        {
            return new DpRoundParameters(DistributedDpPlan.Create(
                configuration.Mechanism, configuration.Dimension, configuration.ClipNorm, configuration.Scale, configuration.Bits,
                configuration.NoiseVarianceNumerator, configuration.NoiseVarianceDenominator, configuration.ExpectedClients,
                configuration.MinimumSurvivors, configuration.Delta, configuration.RoundingBeta, configuration.Rounds,
                configuration.SamplingRate, configuration.TargetEpsilon));
        }
        catch (ArgumentException e) when (e is not ParameterOutOfRangeException)
        {
            // DistributedDpPlan names its constructor parameters in camelCase; the wire names them in PascalCase.
            string field = string.IsNullOrEmpty(e.ParamName) ? "Plan" : char.ToUpperInvariant(e.ParamName[0]) + e.ParamName[1..];
            throw new ParameterOutOfRangeException(field, double.NaN, null, e.Message);
        }
    }

    private static DistributedDpPlan ForTarget(DistributedDpOptions planning, int survivors)
    {
        try
        {
            return DistributedDpPlanner.Plan(planning);
        }
        catch (DpPlanningException e)
        {
            string field = planning.Bits is null ? "TargetEpsilon" : "Bits";
            double value = planning.Bits ?? planning.Epsilon;
            throw new ParameterOutOfRangeException(field, value, null,
                $"no noise share reaches epsilon {planning.Epsilon:G6} with {survivors} of {planning.ExpectedClients} survivors ({e.Message})");
        }
    }

    // The plan with the given central noise: the given bits, or the fewest bits whose worst-case epsilon is within
    // 10% of what a continuous Gaussian with the same multiplier would spend (coarse scales inflate the sensitivity
    // through rounding, so fewer bits spend more epsilon for the same multiplier).
    private static DistributedDpPlan ForMultiplier(DistributedDpOptions planning, double centralStdDev, int survivors)
    {
        if (planning.Bits is int bits)
        {
            try
            {
                return DistributedDpPlanner.PlanForNoise(planning, centralStdDev);
            }
            catch (DpPlanningException e)
            {
                throw new ParameterOutOfRangeException("Bits", bits, null, $"{e.Message} with noise std dev {centralStdDev:G6} and {planning.ExpectedClients} clients");
            }
        }
        double ideal = SubsampledGaussianRdp.Epsilon(planning.SamplingRate, centralStdDev / planning.ClipNorm, planning.Rounds, planning.Delta).Epsilon;
        DistributedDpPlan? best = null;
        int first = Math.Min(64, (int)Math.Ceiling(Math.Log2(planning.ExpectedClients + 1)) + 2);
        for (int b = first; b <= 64; b++)
        {
            DistributedDpPlan plan;
            try
            {
                plan = DistributedDpPlanner.PlanForNoise(planning with { Bits = b }, centralStdDev);
            }
            catch (DpPlanningException)
            {
                continue;
            }
            if (plan.PlannedEpsilon <= ideal * AcceptableEpsilonOverhead)
            {
                return plan;
            }
            if (best is null || plan.PlannedEpsilon < best.PlannedEpsilon)
            {
                best = plan;
            }
        }
        return best ?? throw new ParameterOutOfRangeException("NoiseMultiplier", centralStdDev / planning.ClipNorm, null,
            $"no bit width up to 64 holds the sum of {planning.ExpectedClients} clients ({survivors} survivors) with this noise"
            + (planning.Mechanism == DpMechanism.Skellam ? $" within the Skellam variance cap {DistributedDpPlan.MaxSkellamVariance}" : string.Empty));
    }

    private static void Validate(DpRoundOptions o)
    {
        if (!Enum.IsDefined(o.Mechanism))
        {
            throw new ParameterOutOfRangeException(nameof(o.Mechanism), (int)o.Mechanism, ParameterRange.Closed(0, 1));
        }
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.ClipNorm), o.ClipNorm, ParameterRange.PositiveFinite);
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.Delta), o.Delta, ParameterRange.OpenUnit);
        if (o.NoiseMultiplier is null && o.TargetEpsilon is null)
        {
            throw new ParameterOutOfRangeException(nameof(o.NoiseMultiplier), double.NaN, ParameterRange.PositiveFinite,
                "give a noise multiplier, a target epsilon, or both");
        }
        if (o.NoiseMultiplier is double z)
        {
            ParameterOutOfRangeException.ThrowIfOutside(nameof(o.NoiseMultiplier), z, ParameterRange.PositiveFinite);
        }
        if (o.TargetEpsilon is double eps)
        {
            ParameterOutOfRangeException.ThrowIfOutside(nameof(o.TargetEpsilon), eps, ParameterRange.PositiveFinite);
        }
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.Dimension), o.Dimension, ParameterRange.Closed(1, 1 << 30));
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.RosterSize), o.RosterSize, ParameterRange.Closed(1, 1_000_000));
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.MinimumSurvivors), o.MinimumSurvivors, ParameterRange.Closed(0, o.RosterSize));
        if (o.Bits is int b)
        {
            ParameterOutOfRangeException.ThrowIfOutside(nameof(o.Bits), b, ParameterRange.Closed(1, 64));
        }
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.Rounds), o.Rounds, ParameterRange.Closed(1, int.MaxValue));
        ParameterOutOfRangeException.ThrowIfOutside(nameof(o.SamplingRate), o.SamplingRate, new ParameterRange(0, false, 1, true));
    }
}
