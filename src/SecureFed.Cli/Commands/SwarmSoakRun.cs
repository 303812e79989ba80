using System.Collections.Concurrent;
using System.Diagnostics;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `securefed swarm soak`: one federation of generated devices enrolled once, then <see cref="SwarmSoakPlan.Rounds"/>
/// consecutive masking rounds against the same service, each with fresh inputs and checked against their sum. After each
/// round the service's working set is read from its /metrics, and again after a full garbage collection induced in it
/// when its process id is known (<see cref="SwarmServerGc"/>); every 2xx message submission is timed per stage.
/// </summary>
internal sealed class SwarmSoakRun(Uri server, string adminKey, SwarmSoakPlan plan, CliProgress progress)
{
    private static readonly string[] StageNames = ["R0", "R1", "R2", "R3", "R4"];
    private readonly ConcurrentBag<double>[] _latencies = [.. StageNames.Select(_ => new ConcurrentBag<double>())];

    public async Task<SwarmSoakReport> ExecuteAsync()
    {
        using var fleet = new SwarmFleet([server], adminKey, plan.Clients);
        using var metricsHttp = new HttpClient(fleet.Handler, disposeHandler: false);
        (string federation, IReadOnlyList<uint> ids, _) = await fleet.EnrolAsync("soak").ConfigureAwait(false);
        var wall = Stopwatch.StartNew();
        var rounds = new List<SwarmSoakRound>();
        for (int r = 1; r <= plan.Rounds; r++)
        {
            SwarmSoakRound round = await RunRoundAsync(r, fleet, metricsHttp, federation, ids).ConfigureAwait(false);
            rounds.Add(round);
            progress.Stage($"round {r}/{plan.Rounds}: {round.Status}, sum matches {round.SumMatches}, lost {round.Lost}, " +
                $"{round.WallSeconds:F1} s, server working set {round.WorkingSetMb?.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "?"} MB");
        }
        return Report(rounds, wall.Elapsed.TotalSeconds);
    }

    private async Task<SwarmSoakRound> RunRoundAsync(int number, SwarmFleet fleet, HttpClient metricsHttp, string federation, IReadOnlyList<uint> ids)
    {
        SecureFedAdminClient admin = fleet.Admin;
        long seed = plan.Seed + number; // fresh inputs every round
        var scheme = new SwarmMaskingScheme(new SwarmPlan(plan.Clients, plan.Length, plan.Bits, plan.DeadlineSeconds, null, seed),
            threshold: null, dropouts: 0, new GraphRequest { Kind = GraphRequest.Finder, DropoutFraction = 0.1 });
        var wall = Stopwatch.StartNew();
        RoundStatus round = await admin.OpenRoundAsync(scheme.Request(federation, ids)).ConfigureAwait(false);
        var expected = new ulong[plan.Length];
        for (int i = 0; i < plan.Clients; i++)
        {
            Primitives.Vectors.ModularArithmetic.AddInPlace(expected, scheme.Input(seed, i), plan.Bits);
        }
        Task<string?>[] devices = [.. fleet.Identities.Select((identity, index) => Task.Run(() => RunDeviceAsync(fleet.Handler, identity, index, round.RoundId, scheme.Input(seed, index))))];
        (_, int failed, string? firstError) = await SwarmDevices.TallyAsync(devices).ConfigureAwait(false);
        RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        double seconds = wall.Elapsed.TotalSeconds;
        var contributors = new HashSet<uint>(done.Survivors ?? []);
        int lost = ids.Count(id => !contributors.Contains(id));
        SwarmServerMemory memory = await SwarmServerMemory.ReadAsync(metricsHttp, server).ConfigureAwait(false);
        SwarmServerMemory? collected = plan.ServerPid is { } pid
            ? await SwarmServerGc.CollectAsync(pid, () => SwarmServerMemory.ReadAsync(metricsHttp, server), TimeSpan.FromSeconds(60)).ConfigureAwait(false)
            : null;
        return new SwarmSoakRound(number, round.RoundId, done.Status, SwarmDevices.SumMatches(done, expected, plan.Clients), done.Survivors?.Count ?? 0,
            lost, failed, Math.Round(seconds, 2), memory.WorkingSetMb, memory.GcHeapMb, memory.GcCommittedMb,
            collected?.WorkingSetMb, collected?.GcHeapMb, firstError ?? done.AbortDetail);
    }

    // Returns null on success, else the error (no device drops out on purpose in a soak).
    private async Task<string?> RunDeviceAsync(HttpMessageHandler pool, SwarmIdentityStore identity, int index, string roundId, ulong[] input)
    {
        var timer = new SwarmRequestTimer(pool);
        using var http = new HttpClient(timer, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new SecureFedClient(SwarmDevices.ClientOptions(server), identity, http);
        client.Progress += (_, e) =>
        {
            if (e.Step == "sent" && e.Stage >= 0 && e.Stage < _latencies.Length)
            {
                _latencies[e.Stage].Add(timer.LastSubmitMs);
                progress.ClientSent(e.Stage);
            }
        };
        try
        {
            await client.ContributeAsync(roundId, input, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is SecureFedException or HttpRequestException or OperationCanceledException or InvalidOperationException or ArgumentException)
        {
            return $"device {index}: {e.GetType().Name}: {e.Message}";
        }
    }

    private SwarmSoakReport Report(List<SwarmSoakRound> rounds, double wallSeconds)
    {
        int reference = Math.Min(5, rounds.Count);
        SwarmSoakRound first = rounds[reference - 1], last = rounds[^1];
        double? growth = Growth(first.WorkingSetMb, last.WorkingSetMb);
        double? collectedGrowth = Growth(first.FullGcWorkingSetMb, last.FullGcWorkingSetMb);
        double? heapGrowth = Growth(first.FullGcHeapMb, last.FullGcHeapMb);
        // The bound applies to the working set after a full collection when it was measured: the raw reading swings by
        // tens of MB with when the GC last ran (README "Robustness"); else to the raw working set.
        double? bounded = collectedGrowth ?? growth;
        SwarmStageLatency[] latency = [.. StageNames.Select((name, s) => Percentiles(name, _latencies[s]))];
        List<SwarmSoakRound> trend = rounds.Skip(reference - 1).ToList();
        return new SwarmSoakReport(server.ToString(), plan.Clients, plan.Length, plan.Bits, plan.Rounds, rounds, rounds.Sum(r => r.Lost),
            rounds.All(r => r.SumMatches), reference, first.WorkingSetMb, last.WorkingSetMb, growth,
            first.FullGcWorkingSetMb, last.FullGcWorkingSetMb, collectedGrowth, first.FullGcHeapMb, last.FullGcHeapMb, heapGrowth,
            collectedGrowth is null ? "working_set" : "working_set_after_full_gc", bounded is { } g && g <= SwarmSoakReport.MaxGrowth,
            Slope(trend, r => r.WorkingSetMb), Slope(trend, r => r.FullGcWorkingSetMb), Slope(trend, r => r.FullGcHeapMb), latency, Math.Round(wallSeconds, 1));
    }

    private static double? Growth(double? reference, double? last) =>
        reference is > 0 && last is { } l ? Math.Round(l / reference.Value - 1, 4) : null;

    // Least-squares slope of a memory reading over rounds (MB per round): the trend that two single readings, which
    // swing with the GC's timing, cannot show. Null with fewer than 3 readings.
    private static double? Slope(List<SwarmSoakRound> rounds, Func<SwarmSoakRound, double?> reading)
    {
        var points = rounds.Where(r => reading(r) is not null).Select(r => ((double)r.Round, reading(r)!.Value)).ToList();
        if (points.Count < 3)
        {
            return null;
        }
        double mx = points.Average(p => p.Item1), my = points.Average(p => p.Item2);
        double sxy = points.Sum(p => (p.Item1 - mx) * (p.Item2 - my)), sxx = points.Sum(p => (p.Item1 - mx) * (p.Item1 - mx));
        return Math.Round(sxy / sxx, 3);
    }

    // Nearest-rank percentiles.
    private static SwarmStageLatency Percentiles(string stage, IEnumerable<double> samples)
    {
        double[] sorted = [.. samples.Order()];
        double At(double p) => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
        return new SwarmStageLatency(stage, sorted.Length, At(0.50), At(0.99));
    }
}

/// <summary>What a soak run does: devices, vector shape, rounds, the stage deadline, the first round's input seed, and
/// the local aggregator's process id when a full collection is to be induced in it before each second reading.</summary>
internal sealed record SwarmSoakPlan(int Clients, int Length, int Bits, int Rounds, double DeadlineSeconds, long Seed, int? ServerPid = null);
