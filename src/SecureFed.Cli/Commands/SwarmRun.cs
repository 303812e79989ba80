using System.Diagnostics;
using SecureFed.Client;
using SecureFed.Primitives.Vectors;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// One swarm run, either scheme: enrols generated identities in a fresh federation, opens the scheme's round, runs
/// every device's client concurrently (one shared HttpClient), and compares the server's sum with the sum of the
/// inputs of the devices that did not drop out on purpose. A DP run (<see cref="SwarmPlan.DpEpsilon"/>) opens the same
/// round as a distributed-DP float round and checks what a noisy average allows (<see cref="SwarmDp"/>).
/// </summary>
internal sealed class SwarmRun(IReadOnlyList<Uri> frontEnds, string adminKey, SwarmPlan plan, ISwarmScheme scheme, CliProgress progress)
{
    private readonly Uri _server = frontEnds[0];

    private readonly Lock _sumGate = new();
    private readonly SwarmStageClock _stageClock = new(scheme.Stages);
    private readonly SwarmDp? _dp = plan.DpEpsilon is double e ? new SwarmDp(e, plan.Length) : null;
    private readonly double[] _dpInputSum = new double[plan.DpEpsilon is null ? 0 : plan.Length];
    private FloatContributionResult? _dpResult;

    public async Task<SwarmReport> ExecuteAsync()
    {
        using var fleet = new SwarmFleet(frontEnds, adminKey, plan.Clients);
        (string federation, IReadOnlyList<uint> ids, double enrolSeconds) = await fleet.EnrolAsync().ConfigureAwait(false);
        HashSet<int> dropping = scheme.PickDropouts(plan.Seed, plan.Clients);

        OpenRoundRequest request = scheme.Request(federation, ids);
        plan.QuietClose?.Apply(request);
        if (_dp is not null)
        {
            _dp.Apply(request);
            await fleet.Admin.SetPrivacyBudgetAsync(federation, _dp.BudgetEpsilon, 1e-5, "securefed swarm").ConfigureAwait(false);
        }
        var wall = Stopwatch.StartNew();
        RoundStatus round = await fleet.Admin.OpenRoundAsync(request).ConfigureAwait(false);
        progress.Stage($"{scheme.Name} round {round.RoundId} opened: {plan.Clients} clients, threshold {round.Threshold}" +
            (round.Graph is null ? "" : $", graph {round.Graph} (k = {round.GraphDegree})"));
        var expected = new ulong[plan.Length];
        var tasks = fleet.Identities.Select((identity, index) => Task.Run(() =>
            RunDeviceAsync(fleet.Http, identity, index, round.RoundId, dropping.Contains(index), expected, wall))).ToArray();
        (int completed, int failed, string? firstError) = await SwarmDevices.TallyAsync(tasks).ConfigureAwait(false);
        RoundStatus done = await fleet.Admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        double wallSeconds = wall.Elapsed.TotalSeconds;
        bool matches = SwarmDevices.SumMatches(done, expected, plan.Clients - dropping.Count);
        (int Charges, bool Matches)? ledger = null;
        if (_dp is not null)
        {
            matches = SwarmDevices.CompletedWith(done, plan.Clients - dropping.Count) && _dpResult is { } r
                && done.Encoding is { Scale: var scale }
                && SwarmDp.AverageWithinNoise(r.Average, _dpInputSum, done.Survivors!.Count, r.NoiseStdDev, scale);
            ledger = SwarmDp.CheckLedger(await fleet.Admin.GetPrivacyLedgerAsync(federation).ConfigureAwait(false), round.RoundId, done.Encoding);
        }
        var contributors = new HashSet<uint>(done.Survivors ?? []);
        int lost = Enumerable.Range(0, plan.Clients).Count(i => !dropping.Contains(i) && !contributors.Contains(ids[i]));
        return new SwarmReport(_server.ToString(), scheme.Name, round.RoundId, plan.Clients, plan.Length, plan.Bits, done.Graph, done.GraphDegree,
            done.Threshold, done.Status, done.Survivors?.Count ?? 0, done.Dropped?.Count ?? 0, lost, done.Attempts, completed, failed,
            enrolSeconds, wallSeconds, _stageClock.Seconds(), matches, done.ServerPeakMb, firstError ?? done.AbortDetail,
            _dp is null ? null : done.Encoding?.RoundEpsilon, ledger?.Charges, ledger?.Matches);
    }

    // Returns null on success, SwarmDevices.Dropped for a device that went offline on purpose, else the error.
    private async Task<string?> RunDeviceAsync(HttpClient http, SwarmIdentityStore identity, int index, string roundId, bool drops,
        ulong[] expected, Stopwatch wall)
    {
        ulong[] input = _dp is null ? scheme.Input(plan.Seed, index) : [];
        double[] update = _dp is null ? [] : _dp.Input(plan.Seed, index);
        if (!drops)
        {
            lock (_sumGate)
            {
                if (_dp is null)
                {
                    ModularArithmetic.AddInPlace(expected, input, plan.Bits);
                }
                else
                {
                    for (int i = 0; i < update.Length; i++)
                    {
                        _dpInputSum[i] += update[i];
                    }
                }
            }
        }
        // Device i talks to front end i mod F (one front end: the server).
        using var client = new SecureFedClient(SwarmDevices.ClientOptions(frontEnds[index % frontEnds.Count]), identity, http);
        using var stop = new CancellationTokenSource();
        bool offline = false;
        client.Progress += (_, e) =>
        {
            if (e.Step == "sent" && e.Stage >= 0 && e.Stage < scheme.Stages)
            {
                progress.ClientSent(e.Stage);
                _stageClock.RecordSent(e.Stage, wall.ElapsedTicks);
            }
            if (scheme.GoesOffline(e, drops))
            {
                offline = true;
                stop.Cancel();
            }
        };
        try
        {
            if (_dp is null)
            {
                await client.ContributeAsync(roundId, input, stop.Token).ConfigureAwait(false);
            }
            else
            {
                Interlocked.CompareExchange(ref _dpResult, await SwarmDp.ContributeAsync(client, roundId, update, stop.Token).ConfigureAwait(false), null);
            }
            return null;
        }
        catch (OperationCanceledException) when (offline)
        {
            return SwarmDevices.Dropped;
        }
        catch (Exception e) when (e is SecureFedException or HttpRequestException or OperationCanceledException or InvalidOperationException or ArgumentException)
        {
            return $"device {index}: {e.GetType().Name}: {e.Message}";
        }
    }
}
