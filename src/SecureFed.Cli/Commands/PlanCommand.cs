using System.CommandLine;
using System.Text.Json;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Planning;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed plan`: the preflight check: graph, degree, threshold and expected cost of a round.</summary>
internal sealed class PlanCommand : CliCommand
{
    private readonly Option<int> _clients = CliOptions.Int("--clients", "N", "clients in the round", 100, 3, 10_000_000);
    private readonly Option<int> _length = CliOptions.Int("--length", "M", "values per client", 10_000, 1, RoundParameters.MaxVectorLength);
    private readonly Option<int> _bits = CliOptions.Int("--bits", "B", "modulus 2^B", 32, 1, 64);
    private readonly Option<double> _gamma = CliOptions.Double("--gamma", "G", "fraction of corrupt clients to tolerate", 0.05, 0, 0.99);
    private readonly Option<double> _delta = CliOptions.Double("--delta", "D", "fraction of dropouts to tolerate", 0.1, 0, 0.99);
    private readonly Option<string> _adversary = CliOptions.Choice("--adversary", "server model", "honest-but-curious", "honest-but-curious", "semi-malicious");
    private readonly Option<int> _securityBits = CliOptions.Int("--security-bits", "S", "privacy failure at most 2^-S", 40, 1, 128);
    private readonly Option<int> _correctnessBits = CliOptions.Int("--correctness-bits", "C", "round failure at most 2^-C", 20, 1, 128);
    private readonly Option<bool> _json = CliOptions.Flag("--json", "print one JSON object");

    public override string Name => "plan";

    public override string Description => """
        choose the SecAgg+ graph degree k and threshold t, and estimate bytes and work per party
        exit code 2 when no parameters meet the request (the message says which bound fails)
        """;

    public override IEnumerable<Symbol> Symbols => [_clients, _length, _bits, _gamma, _delta, _adversary, _securityBits, _correctnessBits, _json];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output, error = console.Error;
        int clients = parse.GetValue(_clients);
        int length = parse.GetValue(_length);
        int bits = parse.GetValue(_bits);
        double gamma = parse.GetValue(_gamma);
        double delta = parse.GetValue(_delta);
        var adversary = parse.GetValue(_adversary) == "semi-malicious" ? AdversaryModel.SemiMalicious : AdversaryModel.HonestButCurious;
        int sigma = parse.GetValue(_securityBits);
        int eta = parse.GetValue(_correctnessBits);
        bool json = parse.GetValue(_json);

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
        var table = CliTable.Numeric("party", "sends (B)", "receives (B)", "key agreements", "signature checks", "mask words");
        table.Row("client", $"{cost.ClientUploadBytes:N0}", $"{cost.ClientDownloadBytes:N0}", $"{cost.ClientKeyAgreements:N0}", $"{cost.ClientSignatureChecks:N0}", $"{cost.ClientMaskWords:N0}");
        table.Row("server", $"{cost.ServerUploadBytes:N0}", $"{cost.ServerDownloadBytes:N0}", $"{cost.ServerKeyAgreements:N0}", $"{cost.ServerSignatureChecks:N0}", $"{cost.ServerMaskWords:N0}");
        console.Write(table);
        output.WriteLine($"server figures expect {delta:P0} dropouts before R2");
        return 0;
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;
}
