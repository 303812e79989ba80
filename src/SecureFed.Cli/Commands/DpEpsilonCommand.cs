using System.Globalization;
using System.Text.Json;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed dp epsilon`: the (epsilon, delta) spent by a noise level over rounds.</summary>
internal sealed class DpEpsilonCommand : ICliCommand
{
    public string Name => "dp epsilon";

    public string Summary => "epsilon spent by the Gaussian, distributed discrete Gaussian or Skellam mechanism";

    public string Usage => """
        usage: securefed dp epsilon --noise-multiplier Z --delta D [options]
          --sampling-rate Q      Poisson sampling rate per round (default 1)
          --noise-multiplier Z   central noise std dev / L2 clip norm
          --rounds T             composed rounds (default 1)
          --delta D              target delta
          --conversion classic|improved  RDP to (eps, delta) conversion (default improved)
          --mechanism gaussian|ddg|skellam  (default gaussian)
          --json                 print one JSON object
        """ + DpOptionReader.DistributedUsage;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        double q = args.Double("sampling-rate", 1, 0, 1);
        double z = args.Double("noise-multiplier", double.NaN, 0, 1e9);
        int rounds = args.Int("rounds", 1, 1, int.MaxValue);
        double delta = args.Double("delta", double.NaN, 0, 1);
        string mechanism = args.Choice("mechanism", "gaussian", "gaussian", "ddg", "skellam");
        EpsilonConversion conversion = DpOptionReader.Conversion(args);
        bool json = args.Flag("json");
        if (double.IsNaN(z) || double.IsNaN(delta))
        {
            throw new CliUsageException("--noise-multiplier and --delta are required");
        }
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
                args.ThrowIfUnused();
                spent = SubsampledGaussianRdp.Epsilon(q, z, rounds, delta, conversion);
            }
            else
            {
                if (!(q > 0) || !(z > 0))
                {
                    throw new CliUsageException("--sampling-rate and --noise-multiplier must be positive for ddg/skellam");
                }
                var options = DpOptionReader.Distributed(args, mechanism, 1, delta, q, rounds, 20);
                args.ThrowIfUnused();
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
