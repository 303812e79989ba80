using SecureFed.Client;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>HE rounds for tests: opening one over a <see cref="TestFederation"/>, known inputs, and running every device.</summary>
public static class HeTestRound
{
    // Inputs stay below InputRange so the quantized-values path of the client accepts them.
    public const ulong InputRange = 1000;

    public static Task<RoundStatus> OpenAsync(SecureFedAdminClient admin, TestFederation federation, int decryptors, int threshold, int length,
        double[]? deadlinesSeconds = null, int minimumClients = 1) =>
        admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Scheme = Schemes.He,
            He = new HeRoundRequest
            {
                Decryptors = [.. federation.ClientIds.Take(decryptors)],
                Threshold = threshold,
                VectorLength = length,
                Bits = 32,
                InputRange = InputRange,
                MinimumClients = minimumClients,
            },
            StageDeadlineSeconds = 30,
            StageDeadlinesSeconds = deadlinesSeconds?.ToList(),
        });

    public static ulong[] Input(int index, int length) =>
        [.. Enumerable.Range(0, length).Select(k => (ulong)((index * 37 + k * 11 + 5) % (int)InputRange))];

    public static ulong[] ExpectedSum(IEnumerable<int> indices, int length)
    {
        var sum = new ulong[length];
        foreach (int i in indices)
        {
            ulong[] x = Input(i, length);
            for (int k = 0; k < length; k++)
            {
                sum[k] = (sum[k] + x[k]) & 0xFFFF_FFFF;
            }
        }
        return sum;
    }

    /// <summary>
    /// Runs every device (decryptors upload too). A device for which <paramref name="stopWhen"/> returns true on a
    /// progress event cancels itself there, as a device that goes offline would.
    /// </summary>
    public static async Task<Task<ContributionResult>[]> RunAsync(SecureFedClientOptions options, TestFederation federation, string roundId, int length,
        Func<int, ContributionProgressEventArgs, bool>? stopWhen = null, Action<int, ContributionProgressEventArgs>? progress = null)
    {
        var tasks = new Task<ContributionResult>[federation.Keys.Length];
        for (int i = 0; i < tasks.Length; i++)
        {
            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                using var client = new SecureFedClient(options, federation.Keys[index]);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                client.Progress += (_, e) =>
                {
                    progress?.Invoke(index, e);
                    if (stopWhen?.Invoke(index, e) == true)
                    {
                        cts.Cancel();
                    }
                };
                return await client.ContributeAsync(roundId, Input(index, length), cts.Token);
            });
        }
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // Callers inspect each task (stopped devices end cancelled).
        }
        return tasks;
    }
}
