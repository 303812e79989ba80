using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed dp epsilon`: the (epsilon, delta) spent by a noise level over rounds.</summary>
internal sealed class DpEpsilonCommand : CliCommand
{
    private readonly Option<double> _samplingRate = CliOptions.Double("--sampling-rate", "Q", "Poisson sampling rate per round", 1, 0, 1);
    private readonly Option<double> _noise = CliOptions.RequiredDouble("--noise-multiplier", "Z", "central noise std dev / L2 clip norm", 0, 1e9);
    private readonly Option<int> _rounds = CliOptions.Int("--rounds", "T", "composed rounds", 1, 1, int.MaxValue);
    private readonly Option<double> _delta = CliOptions.RequiredDouble("--delta", "D", "target delta, in (0, 1)", 0, 1);
    private readonly Option<string> _mechanism = CliOptions.Choice("--mechanism", "the noise mechanism", "gaussian", "gaussian", "ddg", "skellam");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "print one JSON object");
    private readonly DpOptionReader _dp = new("20");

    public override string Name => "dp epsilon";

    public override string Description => "epsilon spent by the Gaussian, distributed discrete Gaussian or Skellam mechanism";

    public override IEnumerable<Symbol> Symbols => [_samplingRate, _noise, _rounds, _delta, _mechanism, .. _dp.Symbols, _json];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output;
        double q = parse.GetValue(_samplingRate);
        double z = parse.GetValue(_noise);
        int rounds = parse.GetValue(_rounds);
        double delta = parse.GetValue(_delta);
        string mechanism = parse.GetRequiredValue(_mechanism);
        EpsilonConversion conversion = _dp.Conversion(parse);
        bool json = parse.GetValue(_json);
        if (!(delta > 0 && delta < 1))
        {
            throw new CliUsageException("--delta must be in (0, 1)");
        }
        PrivacySpent spent;
        DistributedDpPlan? plan = null;
        try
        {
            if (mechanism == "gaussian")
            {
                _dp.RejectDistributedOptions(parse);
                spent = SubsampledGaussianRdp.Epsilon(q, z, rounds, delta, conversion);
            }
            else
            {
                if (!(q > 0) || !(z > 0))
                {
                    throw new CliUsageException("--sampling-rate and --noise-multiplier must be positive for ddg/skellam");
                }
                var options = _dp.Distributed(parse, mechanism, 1, delta, q, rounds, 20);
                plan = DistributedDpPlanner.PlanForNoise(options, z * options.ClipNorm);
                spent = DistributedDpAccountant.Project(plan, plan.MinimumSurvivors, rounds, conversion);
            }
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
        }
        catch (DpPlanningException e)
        {
            throw new CliUsageException(e.Message);
        }
        string conv = spent.Conversion == EpsilonConversion.Classic ? "classic" : "improved";
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                mechanism,
                epsilon = spent.Epsilon,
                delta = spent.Delta,
                optimal_order = spent.OptimalOrder,
                conversion = conv,
                sampling_rate = q,
                noise_multiplier = z,
                rounds,
                plan = plan is null ? null : DpOptionReader.Json(plan),
            }));
        }
        else
        {
            if (plan is not null)
            {
                output.WriteLine(DpOptionReader.Describe(plan));
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epsilon = {spent.Epsilon:G6} at delta = {spent.Delta:G3} (optimal order {spent.OptimalOrder:G4}, {conv} conversion)"));
        }
        return 0;
    }
}
