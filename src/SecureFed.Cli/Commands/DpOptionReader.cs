using System.CommandLine;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Cli.Commands;

/// <summary>
/// Options shared by the `dp epsilon` and `dp plan` commands: sampling rate, rounds, mechanism, --json, the RDP
/// conversion and the distributed (ddg/skellam) mechanism's inputs. Each command lists them where its help shows them.
/// </summary>
internal sealed class DpOptionReader
{
    public Option<double> SamplingRate { get; } = CliOptions.Double("--sampling-rate", "Q", "Poisson sampling rate per round", 1, 0, 1);
    public Option<int> Rounds { get; } = CliOptions.Int("--rounds", "T", "composed rounds", 1, 1, int.MaxValue);
    public Option<string> Mechanism { get; }
    public Option<bool> JsonFlag { get; } = CliOptions.Flag("--json", "print one JSON object");

    private readonly Option<string> _conversion = CliOptions.Choice("--conversion", "RDP to (eps, delta) conversion", "improved", "improved", "classic");
    private readonly Option<double> _clip = CliOptions.Double("--clip", "C", "L2 clip norm of each update (ddg/skellam)", 1, 1e-12, 1e12);
    private readonly Option<int> _dimension = CliOptions.Int("--dimension", "D", "update length (ddg/skellam)", 1000, 1, 1 << 30);
    private readonly Option<int> _clients = CliOptions.Int("--clients", "N", "expected clients per round (ddg/skellam)", 100, 1, 1_000_000);
    private readonly Option<int?> _survivors = CliOptions.OptionalInt("--survivors", "T", "survivors the noise is sized for / charged with (default N)", 1, 1_000_000);
    private readonly Option<int?> _bits;
    private readonly Option<double> _wrap = CliOptions.Double("--wrap-probability", "P", "wrap-around target", 1e-4, 1e-300, 0.5);

    public DpOptionReader(string mechanismDescription, string bitsDefault)
    {
        Mechanism = CliOptions.Choice("--mechanism", mechanismDescription, "gaussian", "gaussian", "ddg", "skellam");
        _bits = CliOptions.OptionalInt("--bits", "B", $"modulus 2^B, 1..64 (ddg/skellam; default {bitsDefault})", 1, 64);
    }

    /// <summary>The conversion option first, then the distributed mechanism's options.</summary>
    public IEnumerable<Symbol> Symbols => [_conversion, _clip, _dimension, _clients, _survivors, _bits, _wrap];

    public EpsilonConversion Conversion(ParseResult parse) =>
        parse.GetValue(_conversion) == "classic" ? EpsilonConversion.Classic : EpsilonConversion.Improved;

    /// <summary>The conversion's name as --conversion spells it.</summary>
    public static string NameOf(EpsilonConversion conversion) => conversion == EpsilonConversion.Classic ? "classic" : "improved";

    /// <summary>Refuses the distributed mechanism's options where the central Gaussian does not use them.</summary>
    public void RejectDistributedOptions(ParseResult parse)
    {
        CliOptions.Refuse(parse, [_clip, _dimension, _clients, _survivors, _bits, _wrap], "applies to --mechanism ddg or skellam only");
    }

    public DistributedDpOptions Distributed(ParseResult parse, string mechanism, double epsilon, double delta, double q, int rounds, int? defaultBits)
    {
        int clients = parse.GetValue(_clients);
        int survivors = parse.GetValue(_survivors) ?? clients;
        if (survivors > clients)
        {
            throw new CliUsageException($"--survivors must be between 1 and {clients} (--clients; got {survivors})");
        }
        return new DistributedDpOptions
        {
            Epsilon = epsilon,
            Delta = delta,
            ClipNorm = parse.GetValue(_clip),
            Dimension = parse.GetValue(_dimension),
            ExpectedClients = clients,
            MinimumSurvivors = survivors,
            Bits = parse.GetValue(_bits) ?? defaultBits,
            WrapAroundProbability = parse.GetValue(_wrap),
            Mechanism = mechanism == "skellam" ? DpMechanism.Skellam : DpMechanism.DiscreteGaussian,
            Rounds = rounds,
            SamplingRate = q,
            Conversion = Conversion(parse),
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
