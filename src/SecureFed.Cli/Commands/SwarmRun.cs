using System.Diagnostics;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Vectors;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// One swarm run: enrols generated identities in a fresh federation, opens a round, runs every device's client
/// concurrently (one shared HttpClient), and compares the server's sum with the sum of the survivors' inputs.
/// </summary>
internal sealed class SwarmRun(Uri server, string adminKey, SwarmPlan plan, CliProgress progress)
{
    private readonly Lock _sumGate = new();
    private readonly SwarmStageClock _stageClock = new(5);

    public async Task<SwarmReport> ExecuteAsync()
    {
        using var fleet = new SwarmFleet(server, adminKey, plan.Clients);
        (string federation, _, double enrolSeconds) = await fleet.EnrolAsync().ConfigureAwait(false);
        HashSet<int> dropping = SwarmDevices.PickDropouts(plan.Seed, 0, plan.Clients, plan.Dropouts);

        var wall = Stopwatch.StartNew();
        RoundStatus round = await fleet.Admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation,
            Vectors = [new VectorRequest { Length = plan.Length, Bits = plan.Bits }],
            Threshold = plan.Threshold,
            StageDeadlineSeconds = plan.DeadlineSeconds,
        }).ConfigureAwait(false);
        progress.Stage($"round {round.RoundId} opened: {plan.Clients} clients, threshold {round.Threshold}");
        var expected = new ulong[plan.Length];
        var tasks = fleet.Identities.Select((identity, index) => Task.Run(() => RunDeviceAsync(fleet.Http, identity, index, round.RoundId, dropping.Contains(index), expected, wall))).ToArray();
        (int completed, int failed, string? firstError) = await SwarmDevices.TallyAsync(tasks).ConfigureAwait(false);
        RoundStatus done = await fleet.Admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        double wallSeconds = wall.Elapsed.TotalSeconds;
        bool matches = SwarmDevices.SumMatches(done, expected, plan.Clients - dropping.Count);
        return new SwarmReport(server.ToString(), round.RoundId, plan.Clients, plan.Length, plan.Bits, round.Threshold, done.Status,
            done.Survivors?.Count ?? 0, done.Dropped?.Count ?? 0, completed, failed, enrolSeconds, wallSeconds,
            _stageClock.Seconds(), matches, firstError ?? done.AbortDetail);
    }

    // Returns null on success, SwarmDevices.Dropped for a planned dropout, else the error.
    private async Task<string?> RunDeviceAsync(HttpClient http, SwarmIdentityStore identity, int index, string roundId, bool drops,
        ulong[] expected, Stopwatch wall)
    {
        ulong[] input = Input(index);
        if (!drops)
        {
            lock (_sumGate)
            {
                ModularArithmetic.AddInPlace(expected, input, plan.Bits);
            }
        }
        using var client = new SecureFedClient(SwarmDevices.ClientOptions(server), identity, http);
        using var stop = new CancellationTokenSource();
        client.Progress += (_, e) =>
        {
            if (e.Step == "sent")
            {
                progress.ClientSent(e.Stage);
                long ticks = wall.ElapsedTicks;
                _stageClock.RecordSent(e.Stage, ticks);
            }
            // A dropout goes offline after receiving the share delivery, before its masked input.
            if (drops && e.Step == "received" && e.Stage == 1)
            {
                stop.Cancel();
            }
        };
        try
        {
            await client.ContributeAsync(roundId, input, stop.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (drops)
        {
            return SwarmDevices.Dropped;
        }
        catch (Exception e) when (e is SecureFedException or HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            return $"device {index}: {e.GetType().Name}: {e.Message}";
        }
    }

    private ulong[] Input(int index)
    {
        using DeterministicRandomSource random = SwarmDevices.InputRandom(plan.Seed, index);
        ulong mask = ModularArithmetic.Mask(plan.Bits);
        var input = new ulong[plan.Length];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextUInt64() & mask;
        }
        return input;
    }
}
