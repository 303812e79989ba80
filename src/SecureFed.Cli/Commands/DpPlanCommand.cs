using System.Globalization;
using System.Text.Json;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed dp plan`: the noise (and for distributed mechanisms the full parameters) for a target epsilon.</summary>
internal sealed class DpPlanCommand : ICliCommand
{
    public string Name => "dp plan";

    public string Summary => "noise multiplier (or distributed DP parameters) for a target epsilon";

    public string Usage => """
        usage: securefed dp plan --epsilon E --delta D [options]
          --epsilon E            target epsilon over all rounds
          --delta D              target delta
          --sampling-rate Q      Poisson sampling rate per round (default 1)
          --rounds T             composed rounds (default 1)
          --conversion classic|improved  (default improved)
          --mechanism gaussian|ddg|skellam  gaussian prints the noise multiplier; ddg/skellam run the planner
          --json                 print one JSON object
        """ + DpOptionReader.DistributedUsage;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        double epsilon = args.Double("epsilon", double.NaN, 0, 1e6);
        double delta = args.Double("delta", double.NaN, 0, 1);
        double q = args.Double("sampling-rate", 1, 0, 1);
        int rounds = args.Int("rounds", 1, 1, int.MaxValue);
        string mechanism = args.Choice("mechanism", "gaussian", "gaussian", "ddg", "skellam");
        EpsilonConversion conversion = DpOptionReader.Conversion(args);
        bool json = args.Flag("json");
        if (double.IsNaN(epsilon) || double.IsNaN(delta))
        {
            throw new CliUsageException("--epsilon and --delta are required");
        }
        try
        {
            if (mechanism == "gaussian")
            {
                args.ThrowIfUnused();
                double z = NoiseCalibration.GaussianNoiseMultiplier(epsilon, delta, q, rounds, conversion);
                var spent = SubsampledGaussianRdp.Epsilon(q, z, rounds, delta, conversion);
                string conv = conversion == EpsilonConversion.Classic ? "classic" : "improved";
                output.WriteLine(json
                    ? JsonSerializer.Serialize(new { mechanism, noise_multiplier = z, epsilon = spent.Epsilon, delta, optimal_order = spent.OptimalOrder, conversion = conv, sampling_rate = q, rounds })
                    : string.Create(CultureInfo.InvariantCulture, $"noise multiplier = {z:G6} (epsilon {spent.Epsilon:G6} at delta {delta:G3}, order {spent.OptimalOrder:G4}, {conv} conversion)"));
                return 0;
            }
            var options = DpOptionReader.Distributed(args, mechanism, epsilon, delta, q, rounds, null);
            args.ThrowIfUnused();
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
