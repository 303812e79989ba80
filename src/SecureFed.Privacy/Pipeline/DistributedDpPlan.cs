using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Sampling;

namespace SecureFed.Privacy.Pipeline;

/// <summary>
/// Validated, immutable parameters of one distributed-DP configuration: what every client and the server must agree
/// on (dimension, padding, bits, scale gamma, per-client noise variance, rounding bound) plus the guarantees derived
/// from them. Built by <see cref="DistributedDpPlanner"/> or, for explicit parameters, by <see cref="Create"/>.
/// </summary>
public sealed class DistributedDpPlan
{
    /// <summary>Cap on the per-client discrete Gaussian variance (integer units); keeps the sampler's rationals small.</summary>
    public const double MaxDiscreteGaussianVariance = 1UL << 40;

    /// <summary>
    /// Cap on the per-client Skellam variance (integer units): exact Skellam sampling costs O(sqrt(variance)) draws,
    /// about 6 us per sample at 2^16 on one core (`securefed dp bench --skellam-mu 65536`).
    /// </summary>
    public const double MaxSkellamVariance = 1 << 16;

    /// <summary>Conditional rounding's default beta, exp(-1/2) (the choice of Kairouz, Liu and Steinke 2021).</summary>
    public const double DefaultRoundingBeta = 0.60653065971263342;

    // Rounding attempts: each fails with probability <= beta, so 1000 failures in a row have probability < 1e-217.
    private const int RoundingAttempts = 1000;

    // Scaled clip norm c/gamma at most 2^30 keeps Delta2^2 and every rounded coordinate far inside 64 bits.
    internal const double MaxScaledClip = 1 << 30;

    private DistributedDpPlan()
    {
    }

    /// <summary>The noise mechanism.</summary>
    public DpMechanism Mechanism { get; private init; }

    /// <summary>Length of the client update.</summary>
    public int Dimension { get; private init; }

    /// <summary>Dimension padded to the next power of two (the Walsh-Hadamard size).</summary>
    public int PaddedDimension { get; private init; }

    /// <summary>Bits per coordinate: every encoded word and the sum are taken modulo 2^Bits.</summary>
    public int Bits { get; private init; }

    /// <summary>The scale gamma: one integer unit equals gamma in the original units.</summary>
    public double Scale { get; private init; }

    /// <summary>The L2 clipping norm c.</summary>
    public double ClipNorm { get; private init; }

    /// <summary>Conditional rounding parameter beta.</summary>
    public double RoundingBeta { get; private init; }

    /// <summary>Numerator of the per-client noise variance in integer units (sigma^2 for DDG, mu for Skellam).</summary>
    public ulong NoiseVarianceNumerator { get; private init; }

    /// <summary>Denominator of the per-client noise variance in integer units.</summary>
    public ulong NoiseVarianceDenominator { get; private init; }

    /// <summary>Per-client noise variance in integer units, as a double (for reports; the sampler uses the rational).</summary>
    public double PerClientNoiseVariance => (double)NoiseVarianceNumerator / NoiseVarianceDenominator;

    /// <summary>Expected (maximum) clients per round.</summary>
    public int ExpectedClients { get; private init; }

    /// <summary>Survivors the noise is sized for.</summary>
    public int MinimumSurvivors { get; private init; }

    /// <summary>Rounds the plan's epsilon covers.</summary>
    public int Rounds { get; private init; }

    /// <summary>Poisson client-sampling rate per round.</summary>
    public double SamplingRate { get; private init; }

    /// <summary>Delta of the guarantee.</summary>
    public double Delta { get; private init; }

    /// <summary>The epsilon the plan was asked for.</summary>
    public double TargetEpsilon { get; private init; }

    /// <summary>Epsilon after <see cref="Rounds"/> rounds with only <see cref="MinimumSurvivors"/> survivors each (improved conversion).</summary>
    public double PlannedEpsilon { get; private set; }

    /// <summary>The rounding acceptance threshold floor(Delta2^2) in integer units.</summary>
    public ulong L2SensitivitySquared { get; private init; }

    /// <summary>L2 sensitivity in integer units, sqrt(<see cref="L2SensitivitySquared"/>).</summary>
    public double L2Sensitivity => Math.Sqrt(L2SensitivitySquared);

    /// <summary>L1 sensitivity in integer units: Delta2 · min(sqrt(d), Delta2) (integer vectors have L1 &lt;= L2^2).</summary>
    public double L1Sensitivity => L2Sensitivity * Math.Min(Math.Sqrt(PaddedDimension), L2Sensitivity);

    /// <summary>Standard deviation of the noise in each coordinate of the decoded sum, original units, with all expected clients.</summary>
    public double NoiseStdDev => Scale * Math.Sqrt(ExpectedClients * PerClientNoiseVariance);

    /// <summary>Union bound on the probability that any coordinate of the sum wraps around (all expected clients).</summary>
    public double WrapAroundProbabilityBound { get; private set; }

    /// <summary>Most rounding attempts before <see cref="DpRoundingException"/>.</summary>
    public int MaxRoundingAttempts { get; private init; }

    /// <summary>
    /// Builds a plan from explicit parameters (the planner's output, or a test vector's), validating each field
    /// and deriving sensitivities, the planned epsilon and the wrap-around bound.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is out of range (the message names it).</exception>
    public static DistributedDpPlan Create(
        DpMechanism mechanism, int dimension, double clipNorm, double scale, int bits,
        ulong noiseVarianceNumerator, ulong noiseVarianceDenominator, int expectedClients, int minimumSurvivors,
        double delta, double roundingBeta = DefaultRoundingBeta, int rounds = 1, double samplingRate = 1.0, double targetEpsilon = double.NaN)
    {
        if (mechanism is not (DpMechanism.DiscreteGaussian or DpMechanism.Skellam))
        {
            throw new ArgumentOutOfRangeException(nameof(mechanism), "unknown mechanism");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, 1 << 30);
        RequirePositiveFinite(clipNorm, nameof(clipNorm));
        RequirePositiveFinite(scale, nameof(scale));
        if (clipNorm / scale > MaxScaledClip)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "clipNorm / scale must be at most 2^30");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedClients, 1);
        if (minimumSurvivors < 1 || minimumSurvivors > expectedClients)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumSurvivors), "minimum survivors must be in [1, expected clients]");
        }
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "delta must be in (0, 1)");
        }
        if (!(roundingBeta >= 0 && roundingBeta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(roundingBeta), "beta must be in [0, 1)");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        if (!(samplingRate > 0 && samplingRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(samplingRate), "sampling rate must be in (0, 1]");
        }
        if (noiseVarianceNumerator == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(noiseVarianceNumerator), "noise variance must be positive");
        }
        // Constructing the sampler validates the rational (and the Skellam cap).
        _ = NewSampler(mechanism, noiseVarianceNumerator, noiseVarianceDenominator);
        int padded = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)dimension);
        var plan = new DistributedDpPlan
        {
            Mechanism = mechanism,
            Dimension = dimension,
            PaddedDimension = padded,
            Bits = bits,
            Scale = scale,
            ClipNorm = clipNorm,
            RoundingBeta = roundingBeta,
            NoiseVarianceNumerator = noiseVarianceNumerator,
            NoiseVarianceDenominator = noiseVarianceDenominator,
            ExpectedClients = expectedClients,
            MinimumSurvivors = minimumSurvivors,
            Rounds = rounds,
            SamplingRate = samplingRate,
            Delta = delta,
            TargetEpsilon = targetEpsilon,
            L2SensitivitySquared = RoundedNormBound.IntegerSquared(clipNorm / scale, roundingBeta, padded),
            MaxRoundingAttempts = RoundingAttempts,
        };
        plan.PlannedEpsilon = DistributedDpAccountant.Project(plan, plan.MinimumSurvivors, plan.Rounds).Epsilon;
        plan.WrapAroundProbabilityBound = WrapBound(plan);
        return plan;
    }

    /// <summary>A new exact sampler for this plan's per-client noise.</summary>
    public IIntegerNoiseSampler CreateSampler() => NewSampler(Mechanism, NoiseVarianceNumerator, NoiseVarianceDenominator);

    private static IIntegerNoiseSampler NewSampler(DpMechanism mechanism, ulong numerator, ulong denominator) =>
        mechanism == DpMechanism.Skellam
            ? new SkellamSampler(numerator, denominator)
            : new DiscreteGaussianSampler(numerator, denominator);

    /// <summary>
    /// 2 d' exp(-(M - n)^2 / (2 V)), M = 2^(bits-1), V = (n c/gamma)^2 / d' + n sigma^2: per coordinate, the rotated
    /// sum of clipped updates is sub-Gaussian with variance proxy ||sum x_i||^2 / d' &lt;= (n c/gamma)^2 / d' (Hoeffding
    /// over the random signs), rounding moves it by less than n, and the discrete Gaussian is sigma^2-sub-Gaussian
    /// (Canonne et al. 2020); union bound over d' coordinates. For Skellam the Gaussian tail is an approximation.
    /// </summary>
    internal static double WrapBound(DistributedDpPlan plan)
    {
        double n = plan.ExpectedClients;
        double m = Math.Pow(2, plan.Bits - 1);
        if (m <= n)
        {
            return 1;
        }
        double scaledClip = plan.ClipNorm / plan.Scale;
        double v = (n * n * scaledClip * scaledClip / plan.PaddedDimension) + (n * plan.PerClientNoiseVariance);
        double bound = 2.0 * plan.PaddedDimension * Math.Exp(-(m - n) * (m - n) / (2 * v));
        return Math.Min(1, bound);
    }

    private static void RequirePositiveFinite(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be positive and finite");
        }
    }
}
