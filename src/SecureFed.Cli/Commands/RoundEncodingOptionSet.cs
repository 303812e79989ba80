using System.CommandLine;
using SecureFed.Privacy.Pipeline;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The float and DP options of a hosted round (`serve admin open`, either scheme): --clip-norm makes the round a float
/// round of --length coordinates (devices contribute floats and read back the average); --dp-epsilon or
/// --noise-multiplier adds distributed DP, charged to the federation's privacy budget (--budget sets it first when the
/// federation has none). They fill the request's Float and Dp objects (protocol-spec/transport.md section 5).
/// </summary>
internal sealed class RoundEncodingOptionSet
{
    public Option<double?> ClipNorm { get; } = CliOptions.OptionalDouble("--clip-norm", "C",
        "float round: devices clip their update to L2 norm C (makes the round a float round of --length coordinates)", 1e-300, 1e300);

    public Option<double?> Scale { get; } = CliOptions.OptionalDouble("--scale", "S",
        "float round: finest resolution asked for (integer units per unit of update); the service picks the fewest bits that reach it", 1e-300, 1e300);

    public Option<double> MaxWeight { get; } = CliOptions.Double("--max-weight", "W",
        "float round: weighted averaging, the largest weight a device may give (e.g. its example count); 1 = unweighted", 1, 1.0 / 65536, 1 << 24);

    public Option<double?> DpEpsilon { get; } = CliOptions.OptionalDouble("--dp-epsilon", "E",
        "distributed DP: the epsilon --dp-rounds rounds with only the minimum survivors may spend (the planner finds the noise)", 1e-9, 1e6);

    public Option<double?> NoiseMultiplier { get; } = CliOptions.OptionalDouble("--noise-multiplier", "Z",
        "distributed DP: the summed noise of the minimum survivors has standard deviation Z x clip norm", 1e-9, 1e6);

    public Option<double?> DpDelta { get; } = CliOptions.OptionalDouble("--dp-delta", "D", "distributed DP: delta, in (0, 1) (default the federation budget's)", 1e-300, 0.999999);

    public Option<string> Mechanism { get; } = CliOptions.Choice("--mechanism", "distributed DP: the noise", "gaussian", "gaussian", "skellam");

    public Option<int> DpRounds { get; } = CliOptions.Int("--dp-rounds", "R", "distributed DP: rounds --dp-epsilon covers", 1, 1, 1_000_000);

    public Option<int?> MinimumSurvivors { get; } = CliOptions.OptionalInt("--min-survivors", "N",
        "distributed DP: fewest survivors the noise is sized for (default: the fewest the round completes with)", 1, int.MaxValue);

    public Option<double?> Budget { get; } = CliOptions.OptionalDouble("--budget", "EPS",
        "distributed DP: the federation's epsilon budget, set first when it has none (or raised to EPS; recorded, as `serve admin budget --set`)", 1e-9, 1e9);

    public Option<double?> BudgetDelta { get; } = CliOptions.OptionalDouble("--budget-delta", "D", "distributed DP: the budget's delta when --budget first sets it (default 1e-5)", 1e-300, 0.999999);

    public IEnumerable<Option> All => [ClipNorm, Scale, MaxWeight, DpEpsilon, NoiseMultiplier, DpDelta, Mechanism, DpRounds, MinimumSurvivors, Budget, BudgetDelta];

    private IEnumerable<Option> DpOnly => [DpDelta, Mechanism, DpRounds, MinimumSurvivors, Budget, BudgetDelta];

    /// <summary>True when the round is a DP round.</summary>
    public bool IsDp(ParseResult parse) => parse.GetValue(DpEpsilon) is not null || parse.GetValue(NoiseMultiplier) is not null;

    /// <summary>The request's Float object, or null for an integer round.</summary>
    /// <exception cref="CliUsageException">Float or DP options without --clip-norm, or DP options without --dp-epsilon/--noise-multiplier.</exception>
    public FloatEncodingRequest? Float(ParseResult parse, int length, int? bits)
    {
        double? clip = parse.GetValue(ClipNorm);
        if (clip is null)
        {
            CliOptions.Refuse(parse, All, "needs --clip-norm (float rounds only)");
            return null;
        }
        bool dp = IsDp(parse);
        if (!dp)
        {
            CliOptions.Refuse(parse, DpOnly, "needs --dp-epsilon or --noise-multiplier (DP rounds only)");
        }
        return new FloatEncodingRequest
        {
            Length = length,
            ClipNorm = clip.Value,
            Bits = dp ? null : bits,
            MinimumScale = parse.GetValue(Scale),
            MaxWeight = parse.GetValue(MaxWeight),
        };
    }

    /// <summary>The request's Dp object (<paramref name="bits"/>: --bits when given), or null without DP.</summary>
    public DpRoundRequest? Dp(ParseResult parse, int? bits) => !IsDp(parse) ? null : new DpRoundRequest
    {
        Mechanism = parse.GetValue(Mechanism) == "skellam" ? DpMechanism.Skellam : DpMechanism.DiscreteGaussian,
        NoiseMultiplier = parse.GetValue(NoiseMultiplier),
        TargetEpsilon = parse.GetValue(DpEpsilon),
        Delta = parse.GetValue(DpDelta),
        Bits = bits,
        MinimumSurvivors = parse.GetValue(MinimumSurvivors),
        Rounds = parse.GetValue(DpRounds),
    };
}
