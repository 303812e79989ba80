using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Cli.Commands;

/// <summary>Options shared by the `dp` commands.</summary>
internal static class DpOptionReader
{
    public const string DistributedUsage = """
          --clip C               L2 clip norm of each update (ddg/skellam; default 1)
          --dimension D          update length (ddg/skellam; default 1000)
          --clients N            expected clients per round (ddg/skellam; default 100)
          --survivors T          survivors the noise is sized for / charged with (default N)
          --bits B               modulus 2^B, 1..64 (ddg/skellam; default 20 for epsilon, planner's choice for plan)
          --wrap-probability P   wrap-around target (default 1e-4)
        """;

    public static EpsilonConversion Conversion(CliArguments args) =>
        args.Choice("conversion", "improved", "improved", "classic") == "classic" ? EpsilonConversion.Classic : EpsilonConversion.Improved;

    public static DistributedDpOptions Distributed(CliArguments args, string mechanism, double epsilon, double delta, double q, int rounds, int? defaultBits)
    {
        int clients = args.Int("clients", 100, 1, 1_000_000);
        string? bitsText = args.String("bits");
        return new DistributedDpOptions
        {
            Epsilon = epsilon,
            Delta = delta,
            ClipNorm = args.Double("clip", 1, 1e-12, 1e12),
            Dimension = args.Int("dimension", 1000, 1, 1 << 30),
            ExpectedClients = clients,
            MinimumSurvivors = args.Int("survivors", clients, 1, clients),
            Bits = bitsText is null ? defaultBits : args.Int("bits", 20, 1, 64),
            WrapAroundProbability = args.Double("wrap-probability", 1e-4, 1e-300, 0.5),
            Mechanism = mechanism == "skellam" ? DpMechanism.Skellam : DpMechanism.DiscreteGaussian,
            Rounds = rounds,
            SamplingRate = q,
            Conversion = Conversion(args),
        };
    }

    public static string Describe(DistributedDpPlan plan) => string.Join(Environment.NewLine,
    [
        $"mechanism:               {plan.Mechanism}",
        $"dimension (padded):      {plan.Dimension} ({plan.PaddedDimension})",
        $"bits:                    {plan.Bits}",
        $"scale gamma:             {plan.Scale:G6}",
        $"per-client variance:     {plan.NoiseVarianceNumerator}/{plan.NoiseVarianceDenominator} = {plan.PerClientNoiseVariance:G6} (integer units)",
        $"L2 sensitivity:          {plan.L2Sensitivity:G6} (integer units, squared bound {plan.L2SensitivitySquared})",
        $"noise std dev of sum:    {plan.NoiseStdDev:G6} (original units, {plan.ExpectedClients} clients)",
        $"wrap-around bound:       {plan.WrapAroundProbabilityBound:G3}",
        $"epsilon ({plan.MinimumSurvivors} survivors, {plan.Rounds} rounds): {plan.PlannedEpsilon:G6} (improved conversion), delta {plan.Delta:G3}",
    ]);

    public static object Json(DistributedDpPlan plan) => new
    {
        mechanism = plan.Mechanism.ToString(),
        dimension = plan.Dimension,
        padded_dimension = plan.PaddedDimension,
        bits = plan.Bits,
        scale = plan.Scale,
        variance_numerator = plan.NoiseVarianceNumerator,
        variance_denominator = plan.NoiseVarianceDenominator,
        per_client_variance = plan.PerClientNoiseVariance,
        l2_sensitivity_squared = plan.L2SensitivitySquared,
        noise_stddev = plan.NoiseStdDev,
        wrap_around_bound = plan.WrapAroundProbabilityBound,
        clients = plan.ExpectedClients,
        survivors = plan.MinimumSurvivors,
        rounds = plan.Rounds,
        epsilon = plan.PlannedEpsilon,
        delta = plan.Delta,
        conversion = "improved",
    };
}
