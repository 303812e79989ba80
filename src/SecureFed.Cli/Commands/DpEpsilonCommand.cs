using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed dp epsilon`: the (epsilon, delta) spent by a noise level over rounds.</summary>
internal sealed class DpEpsilonCommand : CliCommand
{
    private readonly Option<double> _noise = CliOptions.RequiredDouble("--noise-multiplier", "Z", "central noise std dev / L2 clip norm", 0, 1e9);
    private readonly Option<double> _delta = CliOptions.RequiredDouble("--delta", "D", "target delta, in (0, 1)", 0, 1);
    private readonly DpOptionReader _dp = new("the noise mechanism", "20");

    public override string Name => "dp epsilon";

    public override string Description => "epsilon spent by the Gaussian, distributed discrete Gaussian or Skellam mechanism";

    public override IEnumerable<Symbol> Symbols => [_dp.SamplingRate, _noise, _dp.Rounds, _delta, _dp.Mechanism, .. _dp.Symbols, _dp.JsonFlag];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output;
        double q = parse.GetValue(_dp.SamplingRate);
        double z = parse.GetValue(_noise);
        int rounds = parse.GetValue(_dp.Rounds);
        double delta = parse.GetValue(_delta);
        string mechanism = parse.GetRequiredValue(_dp.Mechanism);
        EpsilonConversion conversion = _dp.Conversion(parse);
        bool json = parse.GetValue(_dp.JsonFlag);
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
        string conv = DpOptionReader.NameOf(spent.Conversion);
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
