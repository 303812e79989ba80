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
internal sealed class SwarmHeRun(Uri server, string adminKey, SwarmHePlan plan, CliProgress progress)
{
    private readonly Lock _sumGate = new();
    private readonly SwarmStageClock _stageClock = new(4);
    private int _silenced;

    public async Task<SwarmHeReport> ExecuteAsync()
    {
        using var fleet = new SwarmFleet(server, adminKey, plan.Clients);
        (string federation, IReadOnlyList<uint> ids, double enrolSeconds) = await fleet.EnrolAsync().ConfigureAwait(false);
        // Dropouts are drawn among the uploaders that do not decrypt, so key generation and decryption are unaffected.
        HashSet<int> dropping = SwarmDevices.PickDropouts(plan.Seed, plan.Decryptors, plan.Clients - plan.Decryptors, plan.Dropouts);
        // Largest range with clients x (range - 1) < 2^bits: the sum of any inputs cannot wrap.
        ulong inputRange = (ulong.MaxValue >> (64 - plan.Bits)) / (ulong)plan.Clients + 1;

        var wall = Stopwatch.StartNew();
        RoundStatus round = await fleet.Admin.OpenRoundAsync(new OpenRoundRequest
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
        progress.Stage($"HE round {round.RoundId} opened: {plan.Clients} clients, {plan.Decryptors} decryptors, threshold {round.Threshold}");
        var expected = new ulong[plan.Length];
        ulong mask = ulong.MaxValue >> (64 - plan.Bits);
        var tasks = fleet.Identities.Select((identity, index) => Task.Run(() =>
            RunDeviceAsync(fleet.Http, identity, index, round.RoundId, dropping.Contains(index), Input(index, inputRange), expected, mask, wall))).ToArray();
        (int completed, int failed, string? firstError) = await SwarmDevices.TallyAsync(tasks).ConfigureAwait(false);
        RoundStatus done = await fleet.Admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        double wallSeconds = wall.Elapsed.TotalSeconds;
        bool matches = SwarmDevices.SumMatches(done, expected, plan.Clients - dropping.Count);
        return new SwarmHeReport(server.ToString(), Schemes.He, round.RoundId, plan.Clients, plan.Decryptors, plan.Length, plan.Bits, round.Threshold,
            done.Status, done.Survivors?.Count ?? 0, done.Dropped?.Count ?? 0, done.Attempts ?? 0, completed, failed, enrolSeconds, wallSeconds,
            _stageClock.Seconds(), matches, firstError ?? done.AbortDetail);
    }

    // Returns null on success, SwarmDevices.Dropped for a planned dropout (or the silenced decryptor), else the error.
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
        using var client = new SecureFedClient(SwarmDevices.ClientOptions(server), identity, http);
        using var stop = new CancellationTokenSource();
        bool silenced = false;
        client.Progress += (_, e) =>
        {
            if (e.Step == "sent" && e.Stage is >= 0 and < 4)
            {
                progress.ClientSent(e.Stage);
                _stageClock.RecordSent(e.Stage, wall.ElapsedTicks);
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
            return SwarmDevices.Dropped;
        }
        catch (Exception e) when (e is SecureFedException or HttpRequestException or OperationCanceledException or InvalidOperationException or ArgumentException)
        {
            return $"device {index}: {e.GetType().Name}: {e.Message}";
        }
    }

    private ulong[] Input(int index, ulong range)
    {
        using DeterministicRandomSource random = SwarmDevices.InputRandom(plan.Seed, index);
        var input = new ulong[plan.Length];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextBelow(range);
        }
        return input;
    }
}
