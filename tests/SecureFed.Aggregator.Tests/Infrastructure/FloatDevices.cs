using SecureFed.Client;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>Known float updates for a federation's devices and their concurrent float contributions.</summary>
public static class FloatDevices
{
    /// <summary>Device <paramref name="index"/>'s update: deterministic, of norm about <paramref name="norm"/>.</summary>
    public static float[] Update(int index, int length, double norm)
    {
        var rng = new Random(1000 + index);
        double[] x = [.. Enumerable.Range(0, length).Select(_ => rng.NextDouble() * 2 - 1)];
        double n = Math.Sqrt(x.Sum(v => v * v));
        return [.. x.Select(v => (float)(v / n * norm))];
    }

    /// <summary>The weighted average of the clipped updates with the weights as the encoder applies them (multiples of 2^-16).</summary>
    public static double[] ExpectedAverage(IReadOnlyList<float[]> updates, IReadOnlyList<double> weights, double clipNorm)
    {
        var sum = new double[updates[0].Length];
        double weightSum = 0;
        for (int u = 0; u < updates.Count; u++)
        {
            double[] x = [.. updates[u].Select(v => (double)v)];
            double norm = Math.Sqrt(x.Sum(v => v * v));
            double factor = norm > clipNorm ? clipNorm / norm : 1;
            double w = Math.Round(weights[u] * 65536) / 65536;
            weightSum += w;
            for (int i = 0; i < x.Length; i++)
            {
                sum[i] += x[i] * factor * w;
            }
        }
        return [.. sum.Select(s => s / weightSum)];
    }

    /// <summary>Every device contributes its update concurrently through the real client library.</summary>
    public static async Task<FloatContributionResult[]> ContributeAsync(TestFederation federation, SecureFedClientOptions options, string roundId,
        IReadOnlyList<float[]> updates, IReadOnlyList<double> weights)
    {
        var tasks = new Task<FloatContributionResult>[updates.Count];
        for (int i = 0; i < tasks.Length; i++)
        {
            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                using var client = new SecureFedClient(options, federation.Keys[index]);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                return await client.ContributeAsync(roundId, updates[index], weights[index], cts.Token);
            });
        }
        return await Task.WhenAll(tasks);
    }
}
