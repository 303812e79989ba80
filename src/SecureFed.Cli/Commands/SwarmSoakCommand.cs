using System.CommandLine;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `securefed swarm soak`: the soak run of issue 20 (a benchmark, not a test): consecutive masking rounds of the same
/// enrolled devices against one running aggregator; checks every sum, counts lost contributions and compares the
/// service's working set after the last round with after round 5.
/// </summary>
internal sealed class SwarmSoakCommand : CliCommand
{
    private readonly Option<Uri> _server = ServeAdminCredentials.ServerOption();
    private readonly Option<int> _rounds = CliOptions.Int("--rounds", "R", "consecutive rounds", 20, 1, 10_000);
    private readonly Option<int> _clients = CliOptions.Int("--clients", "N", "devices, enrolled once and in every round", 500, 2, 100_000);
    private readonly Option<int> _length = CliOptions.Int("--length", "M", "values per device", 10_000, 1, 1 << 28);
    private readonly Option<int> _bits = CliOptions.Int("--bits", "B", "modulus 2^B", 32, 1, 64);
    private readonly Option<double> _deadline = CliOptions.Double("--deadline", "SECONDS", "deadline of every stage (stages close early once all have sent)", 600, 0.1, 86_400);
    private readonly Option<long?> _seed = CliOptions.OptionalLong("--seed", "S", "inputs of round r from S + r (default: random S)");
    private readonly Option<string?> _adminKey = ServeAdminCredentials.AdminKeyOption();
    private readonly Option<string?> _adminKeyFile = ServeAdminCredentials.AdminKeyFileOption();
    private readonly Option<bool> _json = CliOptions.Flag("--json", "print one JSON object (and no progress)");
    private readonly Option<int?> _serverPid = CliOptions.OptionalInt("--server-pid", "PID",
        "process id of a local aggregator: after each round a full GC is induced in it (diagnostics port) and memory read again", 1, int.MaxValue);

    public override string Name => "swarm soak";

    public override string Description => """
        run consecutive masking rounds of N devices against one aggregator (a soak)
        per round: sum_matches, lost (devices missing from the result), wall_s, the server's working set, GC heap and GC
        committed memory after the round (from its /metrics), and with --server-pid the working set and heap after a full GC;
        then memory_growth (working set after the last round over after round 5, minus 1), the same after a full GC
        (working_set_after_full_gc_growth, heap_after_full_gc_growth), least-squares trends from round 5 on
        (working_set_slope_mb_per_round, ...) and submit_latency_ms (p50/p99 per stage of every 2xx message submission)
        exit code: 0 when every sum is exact, nothing is lost and the growth named by bound_applies_to (the working set
        after a full GC with --server-pid, else the working set) is <= 0.10; 1 otherwise
        """;

    public override IEnumerable<Symbol> Symbols => [_server, _rounds, _clients, _length, _bits, _deadline, _seed, _adminKey, _adminKeyFile, _json, _serverPid];

    public override int Run(ParseResult parse, CliConsole console)
    {
        Uri server = parse.GetRequiredValue(_server);
        var plan = new SwarmSoakPlan(parse.GetValue(_clients), parse.GetValue(_length), parse.GetValue(_bits), parse.GetValue(_rounds),
            parse.GetValue(_deadline), parse.GetValue(_seed) ?? (long)(SystemRandomSource.Instance.NextUInt64() >> 1), parse.GetValue(_serverPid));
        string adminKey = ServeAdminCredentials.Resolve(server, parse.GetValue(_adminKey), parse.GetValue(_adminKeyFile));
        bool json = parse.GetValue(_json);
        CliProgress progress = console.Progress(quiet: json, totalClients: plan.Clients);
        return SwarmConsole.RunAndPrint("swarm soak", new SwarmSoakRun(server, adminKey, plan, progress).ExecuteAsync, progress, json, console.Output, console.Error,
            Print, r => r.Passed);
    }

    private static void Print(SwarmSoakReport r, TextWriter output)
    {
        output.WriteLine($"soak: {r.Rounds} rounds x {r.Clients} clients x {r.Length} values ({r.Bits} bits), {r.WallSeconds:F1} s");
        output.WriteLine("  round  status     exact  lost  wall_s  working_set_mb  gc_heap_mb  gc_committed_mb  ws_after_full_gc_mb  heap_after_full_gc_mb");
        foreach (SwarmSoakRound x in r.PerRound)
        {
            output.WriteLine($"  {x.Round,5}  {x.Status,-9}  {x.SumMatches,5}  {x.Lost,4}  {x.WallSeconds,6:F1}  {x.WorkingSetMb,14:F1}  {x.GcHeapMb,10:F1}  " +
                $"{x.GcCommittedMb,15:F1}  {x.FullGcWorkingSetMb,19:F1}  {x.FullGcHeapMb,21:F1}");
        }
        output.WriteLine($"  lost {r.LostTotal}, every sum exact: {r.AllExact}");
        output.WriteLine($"  working set after round {r.ReferenceRound}: {r.ReferenceWorkingSetMb:F1} MB, after round {r.Rounds}: {r.LastWorkingSetMb:F1} MB " +
            $"(growth {r.MemoryGrowth:P1}); trend from round {r.ReferenceRound} on: {r.WorkingSetSlopeMbPerRound:F2} MB per round");
        if (r.FullGcWorkingSetGrowth is not null)
        {
            output.WriteLine($"  after a full GC: working set {r.ReferenceFullGcWorkingSetMb:F1} -> {r.LastFullGcWorkingSetMb:F1} MB (growth {r.FullGcWorkingSetGrowth:P1}, " +
                $"trend {r.FullGcWorkingSetSlopeMbPerRound:F2} MB per round), heap {r.ReferenceFullGcHeapMb:F1} -> {r.LastFullGcHeapMb:F1} MB " +
                $"(growth {r.FullGcHeapGrowth:P1}, trend {r.FullGcHeapSlopeMbPerRound:F2} MB per round)");
        }
        output.WriteLine($"  bound {SwarmSoakReport.MaxGrowth:P0} on {r.BoundAppliesTo}: {(r.MemoryWithinBound ? "ok" : "EXCEEDED")}");
        foreach (SwarmStageLatency l in r.SubmitLatencyMs)
        {
            output.WriteLine($"  {l.Stage} submit latency: p50 {l.P50:F1} ms, p99 {l.P99:F1} ms ({l.Count} requests)");
        }
        foreach (SwarmSoakRound x in r.PerRound.Where(x => x.FirstError is not null).Take(3))
        {
            output.WriteLine($"  round {x.Round} first error: {x.FirstError}");
        }
    }
}
