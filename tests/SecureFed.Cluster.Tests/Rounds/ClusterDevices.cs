using SecureFed.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Updates;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>Simulated devices with known inputs, spread over the cluster's front ends, driven through the real client library.</summary>
public sealed class ClusterDevices
{
    private ClusterDevices(string federation, ClusterRoundsFixture.SeedKeys[] keys, IReadOnlyList<uint> ids)
    {
        Federation = federation;
        Keys = keys;
        ClientIds = ids;
    }

    public string Federation { get; }

    public ClusterRoundsFixture.SeedKeys[] Keys { get; }

    public IReadOnlyList<uint> ClientIds { get; }

    public static async Task<ClusterDevices> EnrolAsync(SecureFedAdminClient admin, int clients)
    {
        string federation = "fed-" + Guid.NewGuid().ToString("N")[..8];
        ClusterRoundsFixture.SeedKeys[] keys = [.. Enumerable.Range(0, clients).Select(i => new ClusterRoundsFixture.SeedKeys(federation, i))];
        IReadOnlyList<uint> ids = await admin.EnrolKeysAsync(federation, keys.Select(k => k.PublicKey()));
        return new ClusterDevices(federation, keys, ids);
    }

    public static ulong[] MaskingInput(int index, int length) =>
        [.. Enumerable.Range(0, length).Select(k => ((ulong)(index + 1) * 1_000_003UL + (ulong)k * 7919UL) & 0xFFFF_FFFFUL)];

    // HE inputs stay below the round's input range.
    public static ulong[] HeInput(int index, int length) => [.. Enumerable.Range(0, length).Select(k => (ulong)((index * 37 + k * 11 + 5) % 1000))];

    public static ulong[] Sum(IEnumerable<int> indices, Func<int, ulong[]> input, int length, int bits = 32)
    {
        var sum = new ulong[length];
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        foreach (int i in indices)
        {
            ulong[] x = input(i);
            for (int k = 0; k < length; k++)
            {
                sum[k] = (sum[k] + x[k]) & mask;
            }
        }
        return sum;
    }

    public Task<RoundStatus> OpenMaskingAsync(SecureFedAdminClient admin, int length) => admin.OpenRoundAsync(new OpenRoundRequest
    {
        Federation = Federation,
        Vectors = [new VectorRequest { Length = length, Bits = 32 }],
        StageDeadlineSeconds = 60,
    });

    public Task<RoundStatus> OpenHeAsync(SecureFedAdminClient admin, int length, int decryptors, int threshold) => admin.OpenRoundAsync(new OpenRoundRequest
    {
        Federation = Federation,
        Scheme = Schemes.He,
        He = new HeRoundRequest
        {
            Decryptors = [.. ClientIds.Take(decryptors)],
            Threshold = threshold,
            VectorLength = length,
            Bits = 32,
            InputRange = 1000,
            MinimumClients = 1,
        },
        StageDeadlineSeconds = 60,
    });

    /// <summary>A float device update of L2 norm <paramref name="norm"/> (below a clip norm of 1: nothing is clipped).</summary>
    public static float[] FloatUpdate(int index, int length, double norm)
    {
        double[] raw = [.. Enumerable.Range(0, length).Select(k => Math.Sin(index * 1.7 + k * 0.31) + 0.1)];
        double scale = norm / Math.Sqrt(raw.Sum(v => v * v));
        return [.. raw.Select(v => (float)(v * scale))];
    }

    /// <summary>
    /// Each device's float update (<see cref="FloatUpdate"/>, norm 0.8) encoded for a DP round as the client library
    /// encodes it (quantized, with the device's share of the noise), from a fixed seed per device: the one input vector
    /// each device then contributes as integers, so a test knows the exact sum the round must publish.
    /// </summary>
    public async Task<(ulong[][] Inputs, int Bits)> EncodeDpUpdatesAsync(ClusterRoundsFixture fixture, string roundId, int length)
    {
        using var client = new SecureFedClient(ClusterRoundsFixture.ClientOptions(), Keys[0], fixture.Http(0));
        RoundInfo info = await client.GetRoundAsync(roundId);
        bool he = info.Scheme == Schemes.He;
        FloatRoundEncoding? encoding;
        if (he)
        {
            var c = MessageCodec.Decode<HeRoundConfiguration>(info.Configuration, info.Configuration.Length);
            encoding = FloatRoundEncoding.Create(c.FloatEncoding, c.Dp, c.Roster.Length);
        }
        else
        {
            var c = MessageCodec.Decode<RoundConfiguration>(info.Configuration, info.Configuration.Length);
            encoding = FloatRoundEncoding.Create(c.FloatEncoding, c.Dp, c.Roster.Length);
        }
        if (encoding?.Dp is null)
        {
            throw new InvalidOperationException($"round {roundId} is not a DP round");
        }
        IRoundUpdateEncoding device = encoding.ForRound(Convert.FromHexString(roundId));
        var inputs = new ulong[Keys.Length][];
        for (int i = 0; i < inputs.Length; i++)
        {
            using var random = new DeterministicRandomSource(i);
            EncodedUpdate encoded = device.Encode(FloatUpdate(i, length, 0.8), 1, random);
            inputs[i] = he ? encoding.SingleVector().Join(encoded.Vectors) : encoded.Vectors.Single();
        }
        return (inputs, encoding.Vectors()[0].Bits);
    }

    /// <summary>Every device contributes a float update (a float or DP round); device i talks to front end i mod 3.</summary>
    public async Task<Task<FloatContributionResult>[]> RunFloatAsync(ClusterRoundsFixture fixture, string roundId, int length)
    {
        var tasks = new Task<FloatContributionResult>[Keys.Length];
        for (int i = 0; i < tasks.Length; i++)
        {
            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                using var client = new SecureFedClient(ClusterRoundsFixture.ClientOptions(), Keys[index], fixture.Http(index));
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
                return await client.ContributeAsync(roundId, FloatUpdate(index, length, 0.8), 1, cts.Token);
            });
        }
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // Callers inspect each task.
        }
        return tasks;
    }

    /// <summary>Runs every device; device i talks to front end i mod 3. A device for which <paramref name="quitsBefore"/>
    /// names a masking stage stops right before sending its message of that stage (as a device that lost its
    /// connection): its task ends cancelled.</summary>
    public async Task<Task<ContributionResult>[]> RunAsync(ClusterRoundsFixture fixture, string roundId, Func<int, ulong[]> input,
        Action<int, ContributionProgressEventArgs>? progress = null, Func<int, int?>? quitsBefore = null)
    {
        var tasks = new Task<ContributionResult>[Keys.Length];
        for (int i = 0; i < tasks.Length; i++)
        {
            int index = i;
            int? quit = quitsBefore?.Invoke(index);
            tasks[i] = quit == 0 ? Task.FromCanceled<ContributionResult>(new CancellationToken(canceled: true)) : Task.Run(async () =>
            {
                using var client = new SecureFedClient(ClusterRoundsFixture.ClientOptions(), Keys[index], fixture.Http(index));
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
                client.Progress += (_, e) =>
                {
                    // "received" for stage q-1: the device has what it needs to send stage q's message, and does not.
                    if (quit is { } q && e.Step == "received" && e.Stage == q - 1)
                    {
                        cts.Cancel();
                    }
                    progress?.Invoke(index, e);
                };
                return await client.ContributeAsync(roundId, input(index), cts.Token);
            });
        }
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // Callers inspect each task.
        }
        return tasks;
    }
}
