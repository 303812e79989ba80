using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed bench he`: timings of the lattice backend, optionally against a node-seal results.json.</summary>
internal sealed class HeBenchCommand : CliCommand
{
    // The first round of the client path pays for first-touch memory and JIT; the others are the steady state.
    private const int ClientPathRounds = 4;

    private readonly Option<bool> _quick = CliOptions.Flag("--quick", "fewer repetitions and a 100,000-value pipeline instead of 1,000,000");
    private readonly Option<int?> _reps = CliOptions.OptionalInt("--reps", "R", "single-operation repetitions (default 30, quick 8)", 1, 10_000);
    private readonly Option<int?> _values = CliOptions.OptionalInt("--values", "V", "values per client in the pipeline (default 1000000, quick 100000)", 1, 100_000_000);
    private readonly Option<int> _clients = CliOptions.Int("--clients", "C", "clients in the pipeline; its layout is the automatic default, then two manual layouts of the same round follow", 10, 2, 1000);
    private readonly Option<string?> _compare = CliOptions.Text("--compare", "FILE", "node-seal results.json (bench/he-vs-seal.sh) to print speed ratios against");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "print one JSON object (and no progress)");

    public override string Name => "bench he";

    public override string Description => """
        benchmark the RLWE/BFV backend (NTT, keygen, encrypt, decrypt, 10-client pipeline)
        Single-threaded, like SEAL's WebAssembly build, so per-operation figures compare one core with one core.
        """;

    public override IEnumerable<Symbol> Symbols => [_quick, _reps, _values, _clients, _compare, _json];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output;
        bool quick = parse.GetValue(_quick);
        int reps = parse.GetValue(_reps) ?? (quick ? 8 : 30);
        int values = parse.GetValue(_values) ?? (quick ? 100_000 : 1_000_000);
        int clients = parse.GetValue(_clients);
        string? compare = parse.GetValue(_compare);
        bool json = parse.GetValue(_json);
        JsonArray? seal = null;
        if (compare is not null)
        {
            try
            {
                seal = JsonNode.Parse(File.ReadAllText(compare)) as JsonArray ?? throw new CliUsageException($"--compare: {compare} is not a JSON array");
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--compare: cannot read {compare}: {e.Message}");
            }
        }

        var report = new JsonObject
        {
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            ["reps"] = reps,
        };
        CliProgress progress = console.Progress(quiet: json);
        progress.Run(() =>
        {
            var rings = new JsonArray();
            foreach (int degree in new[] { 4096, 8192 })
            {
                progress.Stage($"bench he: N = {degree} ...");
                rings.Add(HeBenchRing.Measure(degree, reps));
            }
            report["rings"] = rings;
            progress.Stage($"bench he: pipeline {clients} clients x {values:N0} values ...");
            // The default round: the plan's automatic layout (smallest upload).
            report["pipeline"] = HeBenchPipeline.Measure(clients, values, 0, 0, reps, progress.Writer);
            // The same round through the client's state machine, round after round on one device (issue 17, part 2).
            progress.Stage($"bench he: client path, {ClientPathRounds} rounds ...");
            report["client_path"] = HeBenchClientPath.Measure(clients, values, reps, ClientPathRounds, progress.Writer);
            // Manual layouts of the same round: one value per coefficient and a single body (the old default), and two
            // 32-bit values per coefficient (t = 2^64) with a 4-secret key whose ciphertexts carry 4 bodies per mask.
            report["pipeline_variants"] = new JsonArray(
                HeBenchPipeline.Measure(clients, values, 1, 1, reps, progress.Writer),
                HeBenchPipeline.Measure(clients, values, 2, 4, reps, progress.Writer));
            // The default layout's upload at 1,000 clients (planned, not run).
            report["default_layout_1000_clients"] = HeBenchLayout.Describe(1000, values);
            return 0;
        });
        if (seal is not null)
        {
            report["vs_seal_wasm"] = HeBenchComparison.Ratios(report, seal);
        }
        if (json)
        {
            output.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        }
        else
        {
            HeBenchComparison.WriteText(report, output);
        }
        return HeBenchComparison.AllMatch(report) ? 0 : 1;
    }
}
