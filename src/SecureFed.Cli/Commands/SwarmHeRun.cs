using System.Diagnostics;
using SecureFed.Client;
using SecureFed.HeProtocol.Messages;
using SecureFed.Primitives.Randomness;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// One HE swarm run: enrols generated identities, opens an HE round whose decryptors are the first D devices, runs
/// every device concurrently (decryptors upload too), and compares the server's decrypted sum with the sum of the
/// uploaders' inputs. Planned dropouts are uploaders that go offline once the key is announced; the decryptor
/// dropout goes silent when asked for its first decryption share (its upload stays in the sum).
/// </summary>
internal sealed class SwarmHeRun(Uri server, string adminKey, SwarmHePlan plan, TextWriter? progress)
{
    private readonly Lock _sumGate = new();
    private readonly long[] _lastSentTicks = new long[4];
    private int _silenced;

    public async Task<SwarmHeReport> ExecuteAsync()
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
            // Largest range with clients x (range - 1) < 2^bits: the sum of any inputs cannot wrap.
            ulong inputRange = (ulong.MaxValue >> (64 - plan.Bits)) / (ulong)plan.Clients + 1;

            var wall = Stopwatch.StartNew();
            RoundStatus round = await admin.OpenRoundAsync(new OpenRoundRequest
            {
                Federation = federation,
                Scheme = Schemes.He,
                StageDeadlineSeconds = plan.DeadlineSeconds,
                StageDeadlinesSeconds = [plan.DeadlineSeconds, plan.DeadlineSeconds, plan.DeadlineSeconds, plan.DecryptDeadlineSeconds],
                He = new HeRoundRequest
                {
                    Decryptors = [.. ids.Take(plan.Decryptors)],
                    Threshold = plan.Threshold,
                    VectorLength = plan.Length,
                    Bits = plan.Bits,
                    InputRange = inputRange,
                },
            }).ConfigureAwait(false);
            progress?.WriteLine($"  HE round {round.RoundId} opened: {plan.Clients} clients, {plan.Decryptors} decryptors, threshold {round.Threshold}");
            var expected = new ulong[plan.Length];
            ulong mask = ulong.MaxValue >> (64 - plan.Bits);
            var tasks = identities.Select((identity, index) => Task.Run(() =>
                RunDeviceAsync(http, identity, index, round.RoundId, dropping.Contains(index), Input(index, inputRange), expected, mask, wall))).ToArray();
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
            return new SwarmHeReport(server.ToString(), Schemes.He, round.RoundId, plan.Clients, plan.Decryptors, plan.Length, plan.Bits, round.Threshold,
                done.Status, done.Survivors?.Count ?? 0, done.Dropped?.Count ?? 0, done.Attempts ?? 0, completed, failed, enrolSeconds, wallSeconds,
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

    // Returns null on success, Dropped for a planned dropout (or the silenced decryptor), else the error.
    private async Task<string?> RunDeviceAsync(HttpClient http, SwarmIdentityStore identity, int index, string roundId, bool drops, ulong[] input,
        ulong[] expected, ulong mask, Stopwatch wall)
    {
        if (!drops)
        {
            lock (_sumGate)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    expected[i] = (expected[i] + input[i]) & mask;
                }
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
        bool silenced = false;
        client.Progress += (_, e) =>
        {
            if (e.Step == "sent" && e.Stage is >= 0 and < 4)
            {
                InterlockedMax(ref _lastSentTicks[e.Stage], wall.ElapsedTicks);
            }
            // An uploader dropout goes offline once the key is announced (close of H1), before uploading.
            if (drops && e.Step == "received" && e.Stage == (int)HeStage.KeyShares)
            {
                stop.Cancel();
            }
            // The first decryptor asked for a share goes silent: H3 closes at its deadline and the server retries.
            if (plan.DecryptorDropout && e.Step == "decryption-request" && Interlocked.CompareExchange(ref _silenced, 1, 0) == 0)
            {
                silenced = true;
                stop.Cancel();
            }
        };
        try
        {
            await client.ContributeAsync(roundId, input, stop.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (drops || silenced)
        {
            return Dropped;
        }
        catch (Exception e) when (e is SecureFedException or HttpRequestException or OperationCanceledException or InvalidOperationException or ArgumentException)
        {
            return $"device {index}: {e.GetType().Name}: {e.Message}";
        }
    }

    private ulong[] Input(int index, ulong range)
    {
        using var random = new DeterministicRandomSource(plan.Seed ^ (index * unchecked((long)0x9E3779B97F4A7C15UL)));
        var input = new ulong[plan.Length];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextBelow(range);
        }
        return input;
    }

    // Dropouts are drawn among the uploaders that do not decrypt, so key generation and decryption are unaffected.
    private HashSet<int> PickDropouts()
    {
        using var random = new DeterministicRandomSource(plan.Seed ^ 0x5EED);
        var order = Enumerable.Range(plan.Decryptors, plan.Clients - plan.Decryptors).ToArray();
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
