using SecureFed.Client;
using SecureFed.Primitives.Vectors;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>N simulated devices enrolled in a federation, with known inputs, driven through the real client library.</summary>
public sealed class TestFederation
{
    private TestFederation(string name, SeedKeyStore[] keys, IReadOnlyList<uint> ids)
    {
        Name = name;
        Keys = keys;
        ClientIds = ids;
    }

    public string Name { get; }

    public SeedKeyStore[] Keys { get; }

    public IReadOnlyList<uint> ClientIds { get; }

    public static async Task<TestFederation> EnrolAsync(SecureFedAdminClient admin, int clients, string? name = null)
    {
        name ??= "fed-" + Guid.NewGuid().ToString("N")[..8];
        SeedKeyStore[] keys = [.. Enumerable.Range(0, clients).Select(i => SeedKeyStore.For(name, i))];
        IReadOnlyList<uint> ids = await admin.EnrolKeysAsync(name, keys.Select(k => k.PublicKey()));
        return new TestFederation(name, keys, ids);
    }

    /// <summary>Known input of device <paramref name="index"/>: distinct, deterministic, below 2^bits.</summary>
    public static ulong[] Input(int index, int length, int bits) =>
        [.. Enumerable.Range(0, length).Select(k => ((ulong)(index + 1) * 1_000_003UL + (ulong)k * 7919UL) & ModularArithmetic.Mask(bits))];

    public static ulong[] ExpectedSum(IEnumerable<int> indices, int length, int bits)
    {
        var sum = new ulong[length];
        foreach (int i in indices)
        {
            ModularArithmetic.AddInPlace(sum, Input(i, length, bits), bits);
        }
        return sum;
    }

    public Task<RoundStatus> OpenRoundAsync(SecureFedAdminClient admin, int length, int bits, double deadlineSeconds = 60, int? threshold = null) =>
        admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = Name,
            Vectors = [new VectorRequest { Length = length, Bits = bits }],
            Threshold = threshold,
            StageDeadlineSeconds = deadlineSeconds,
        });

    /// <summary>
    /// Runs every device's client concurrently. A device listed in <paramref name="dropBeforeStage"/> stops just before
    /// sending that stage's message (it cancels itself), as a device that goes offline would.
    /// </summary>
    public async Task<Task<ContributionResult>[]> RunAsync(SecureFedClientOptions options, string roundId, int length, int bits,
        IReadOnlyDictionary<int, int>? dropBeforeStage = null, Action<int, ContributionProgressEventArgs>? progress = null)
    {
        var tasks = new Task<ContributionResult>[Keys.Length];
        for (int i = 0; i < Keys.Length; i++)
        {
            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                using var client = new SecureFedClient(options, Keys[index]);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                client.Progress += (_, e) =>
                {
                    progress?.Invoke(index, e);
                    if (dropBeforeStage is not null && dropBeforeStage.TryGetValue(index, out int stage) &&
                        ((stage == 0 && e.Step == "configuration") || (e.Step == "received" && e.Stage == stage - 1)))
                    {
                        cts.Cancel();
                    }
                };
                return await client.ContributeAsync(roundId, Input(index, length, bits), cts.Token);
            });
        }
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // Callers inspect each task (dropped devices end cancelled).
        }
        return tasks;
    }
}
