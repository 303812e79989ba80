using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed dp plan`: the noise (and for distributed mechanisms the full parameters) for a target epsilon.</summary>
internal sealed class DpPlanCommand : CliCommand
{
    private readonly Option<double> _epsilon = CliOptions.RequiredDouble("--epsilon", "E", "target epsilon over all rounds", 0, 1e6);
    private readonly Option<double> _delta = CliOptions.RequiredDouble("--delta", "D", "target delta", 0, 1);
    private readonly DpOptionReader _dp = new("gaussian prints the noise multiplier; ddg/skellam run the planner", "the planner's choice");

    public override string Name => "dp plan";

    public override string Description => "noise multiplier (or distributed DP parameters) for a target epsilon";

    public override IEnumerable<Symbol> Symbols => [_epsilon, _delta, _dp.SamplingRate, _dp.Rounds, _dp.Mechanism, .. _dp.Symbols, _dp.JsonFlag];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output, error = console.Error;
        double epsilon = parse.GetValue(_epsilon);
        double delta = parse.GetValue(_delta);
        double q = parse.GetValue(_dp.SamplingRate);
        int rounds = parse.GetValue(_dp.Rounds);
        string mechanism = parse.GetRequiredValue(_dp.Mechanism);
        EpsilonConversion conversion = _dp.Conversion(parse);
        bool json = parse.GetValue(_dp.JsonFlag);
        try
        {
            if (mechanism == "gaussian")
            {
                _dp.RejectDistributedOptions(parse);
                double z = NoiseCalibration.GaussianNoiseMultiplier(epsilon, delta, q, rounds, conversion);
                var spent = SubsampledGaussianRdp.Epsilon(q, z, rounds, delta, conversion);
                string conv = DpOptionReader.NameOf(conversion);
                output.WriteLine(json
                    ? JsonSerializer.Serialize(new { mechanism, noise_multiplier = z, epsilon = spent.Epsilon, delta, optimal_order = spent.OptimalOrder, conversion = conv, sampling_rate = q, rounds })
                    : string.Create(CultureInfo.InvariantCulture, $"noise multiplier = {z:G6} (epsilon {spent.Epsilon:G6} at delta {delta:G3}, order {spent.OptimalOrder:G4}, {conv} conversion)"));
                return 0;
            }
            var options = _dp.Distributed(parse, mechanism, epsilon, delta, q, rounds, null);
            var plan = DistributedDpPlanner.Plan(options);
            output.WriteLine(json ? JsonSerializer.Serialize(DpOptionReader.Json(plan)) : DpOptionReader.Describe(plan));
            return 0;
        }
        catch (DpPlanningException e)
        {
            error.WriteLine($"securefed dp plan: {e.Message}");
            return 1;
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
        }
    }
}
