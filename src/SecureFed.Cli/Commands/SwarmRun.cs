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
internal sealed class SwarmRun(Uri server, string adminKey, SwarmPlan plan, TextWriter? progress)
{
    private readonly Lock _sumGate = new();
    private readonly long[] _lastSentTicks = new long[5];

    public async Task<SwarmReport> ExecuteAsync()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        using var admin = new SecureFedAdminClient(server, adminKey, new HttpClient(handler, disposeHandler: false));
        var identities = Enumerable.Range(0, plan.Clients).Select(_ => new SwarmIdentityStore(SystemRandomSource.Instance)).ToArray();
        try
        {
            string federation = "swarm-" + Convert.ToHexStringLower(BitConverter.GetBytes(SystemRandomSource.Instance.NextUInt64()))[..8];
            var enrolClock = Stopwatch.StartNew();
            IReadOnlyList<uint> ids = await admin.EnrolKeysAsync(federation, identities.Select(i => i.PublicKey)).ConfigureAwait(false);
            double enrolSeconds = enrolClock.Elapsed.TotalSeconds;
            HashSet<int> dropping = PickDropouts();

            var wall = Stopwatch.StartNew();
            RoundStatus round = await admin.OpenRoundAsync(new OpenRoundRequest
            {
                Federation = federation,
                Vectors = [new VectorRequest { Length = plan.Length, Bits = plan.Bits }],
                Threshold = plan.Threshold,
                StageDeadlineSeconds = plan.DeadlineSeconds,
            }).ConfigureAwait(false);
            progress?.WriteLine($"  round {round.RoundId} opened: {plan.Clients} clients, threshold {round.Threshold}");
            var expected = new ulong[plan.Length];
            var tasks = identities.Select((identity, index) => Task.Run(() => RunDeviceAsync(http, identity, index, round.RoundId, dropping.Contains(index), expected, wall))).ToArray();
            string? firstError = null;
            int completed = 0, failed = 0;
            foreach (Task<string?> t in tasks)
            {
                string? e = await t.ConfigureAwait(false);
                if (e is null)
                {
                    completed++;
                }
                else if (e != Dropped)
                {
                    failed++;
                    firstError ??= e;
                }
            }
            RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
            double wallSeconds = wall.Elapsed.TotalSeconds;
            bool matches = done.Status == "completed" && done.Sums is [ulong[] sum] && sum.AsSpan().SequenceEqual(expected)
                && done.Survivors!.Count == plan.Clients - dropping.Count;
            return new SwarmReport(server.ToString(), round.RoundId, plan.Clients, plan.Length, plan.Bits, round.Threshold, done.Status,
                done.Survivors?.Count ?? 0, done.Dropped?.Count ?? 0, completed, failed, enrolSeconds, wallSeconds,
                [.. _lastSentTicks.Select(t => t / (double)Stopwatch.Frequency)], matches, firstError ?? done.AbortDetail);
        }
        finally
        {
            foreach (SwarmIdentityStore i in identities)
            {
                i.Dispose();
            }
        }
    }

    private const string Dropped = "dropped";

    // Returns null on success, Dropped for a planned dropout, else the error.
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
        var options = new SecureFedClientOptions
        {
            ServerUrl = server,
            RequestTimeout = TimeSpan.FromMinutes(5),
            MaxAttempts = 20,
            AllowInsecureHttp = true, // the operator chose the URL explicitly
        };
        using var client = new SecureFedClient(options, identity, http);
        using var stop = new CancellationTokenSource();
        client.Progress += (_, e) =>
        {
            if (e.Step == "sent")
            {
                long ticks = wall.ElapsedTicks;
                InterlockedMax(ref _lastSentTicks[e.Stage], ticks);
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
            return Dropped;
        }
        catch (Exception e) when (e is SecureFedException or HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            return $"device {index}: {e.GetType().Name}: {e.Message}";
        }
    }

    private ulong[] Input(int index)
    {
        using var random = new DeterministicRandomSource(plan.Seed ^ (index * unchecked((long)0x9E3779B97F4A7C15UL)));
        ulong mask = ModularArithmetic.Mask(plan.Bits);
        var input = new ulong[plan.Length];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextUInt64() & mask;
        }
        return input;
    }

    private HashSet<int> PickDropouts()
    {
        using var random = new DeterministicRandomSource(plan.Seed ^ 0x5EED);
        var order = Enumerable.Range(0, plan.Clients).ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)random.NextBelow((ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return [.. order.Take(plan.Dropouts)];
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
