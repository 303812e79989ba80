using System.Text.Json;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Planning;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed plan`: the preflight check: graph, degree, threshold and expected cost of a round.</summary>
internal sealed class PlanCommand : ICliCommand
{
    public string Name => "plan";

    public string Summary => "choose the SecAgg+ graph degree k and threshold t, and estimate bytes and work per party";

    public string Usage => """
        usage: securefed plan [options]
          --clients N        clients in the round (default 100)
          --length M         values per client (default 10000)
          --bits B           modulus 2^B (default 32)
          --gamma G          fraction of corrupt clients to tolerate (default 0.05)
          --delta D          fraction of dropouts to tolerate (default 0.1)
          --adversary honest-but-curious|semi-malicious   server model (default honest-but-curious)
          --security-bits S  privacy failure at most 2^-S (default 40)
          --correctness-bits C  round failure at most 2^-C (default 20)
          --json             print one JSON object
        exit code 2 when no parameters meet the request (the message says which bound fails)
        """;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        int clients = args.Int("clients", 100, 3, 10_000_000);
        int length = args.Int("length", 10_000, 1, RoundParameters.MaxVectorLength);
        int bits = args.Int("bits", 32, 1, 64);
        double gamma = args.Double("gamma", 0.05, 0, 0.99);
        double delta = args.Double("delta", 0.1, 0, 0.99);
        var adversary = args.Choice("adversary", "honest-but-curious", "honest-but-curious", "semi-malicious") == "semi-malicious"
            ? AdversaryModel.SemiMalicious : AdversaryModel.HonestButCurious;
        int sigma = args.Int("security-bits", 40, 1, 128);
        int eta = args.Int("correctness-bits", 20, 1, 128);
        bool json = args.Flag("json");
        args.ThrowIfUnused();

        GraphPlan plan;
        try
        {
            plan = SecAggPlusPlanner.Plan(new GraphPlanRequest
            {
                Clients = clients, CorruptFraction = gamma, DropoutFraction = delta, Adversary = adversary,
                SecurityBits = sigma, CorrectnessBits = eta,
            });
        }
        catch (InfeasiblePlanException e)
        {
            error.WriteLine($"securefed plan: {e.Message}");
            return 2;
        }
        var cost = RoundCostEstimate.For(plan, clients, [new VectorSpec { Length = length, Bits = bits }], delta);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                clients, length, bits, gamma, delta, adversary = adversary.ToString(),
                graph = plan.Graph.ToString().ToLowerInvariant(), k = plan.Degree, t = plan.Threshold,
                log2_privacy_failure_per_client = Finite(plan.Log2PrivacyFailure),
                log2_correctness_failure_per_client = Finite(plan.Log2CorrectnessFailure),
                log2_disconnection_bound = Finite(plan.Log2DisconnectionBound),
                cost,
            }, SimulationSummary.JsonOptions));
            return 0;
        }
        output.WriteLine($"graph: {(plan.Graph == GraphKind.Harary ? $"harary, k = {plan.Degree} neighbours" : $"complete ({plan.Degree} neighbours: the sparse graph would not be cheaper here)")}");
        output.WriteLine($"threshold: t = {plan.Threshold} of {plan.Holders} share holders per client");
        if (plan.Graph == GraphKind.Harary)
        {
            output.WriteLine($"bounds per client: privacy failure 2^{plan.Log2PrivacyFailure:F1}, correctness failure 2^{plan.Log2CorrectnessFailure:F1}; disconnection 2^{plan.Log2DisconnectionBound:F1}");
        }
        else
        {
            output.WriteLine($"bounds: certain for up to {Math.Floor(gamma * clients)} corrupt and {Math.Ceiling(delta * clients)} dropped clients");
        }
        output.WriteLine($"client: sends {cost.ClientUploadBytes:N0} B, receives {cost.ClientDownloadBytes:N0} B; {cost.ClientKeyAgreements} key agreements, {cost.ClientSignatureChecks} signature checks, {cost.ClientMaskWords:N0} mask words");
        output.WriteLine($"server: receives {cost.ServerDownloadBytes:N0} B, sends {cost.ServerUploadBytes:N0} B; {cost.ServerKeyAgreements:N0} key agreements, {cost.ServerSignatureChecks:N0} signature checks, {cost.ServerMaskWords:N0} mask words (expected {delta:P0} dropouts before R2)");
        return 0;
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;
}
