using System.Diagnostics;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// FedAvg: each round samples m clients (the same ones for every method), each trains the global model locally
/// and sends its delta; the method's aggregator returns the server's update, which is added to the global model.
/// All training randomness (sampling, batch order) is public and seeded, so methods differ only in aggregation.
/// </summary>
internal sealed class FederatedTrainer(IReadOnlyList<ClientDataset> clients, SoftmaxRegression model, TrainingOptions options)
{
    public RunResult Run(IUpdateAggregator aggregator, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        var result = new RunResult(aggregator.Name, options.Rounds, model.ParameterCount);
        double[] global = result.FinalParameters; // starts at zero, updated in place
        var wall = Stopwatch.StartNew();
        for (int round = 1; round <= options.Rounds; round++)
        {
            int[] sampled = SampleClients(round);
            var updates = new ClientUpdate[sampled.Length];
            Parallel.For(0, sampled.Length, i => updates[i] = LocalUpdate(global, sampled[i], round));
            AggregationOutcome outcome = aggregator.Aggregate(round, updates);
            if (outcome.SecureSumMatches is bool matches)
            {
                result.SumChecks++;
                result.SumMismatches += matches ? 0 : 1;
            }
            for (int i = 0; i < global.Length; i++)
            {
                global[i] += outcome.Update[i];
            }
            (long correct, long total) = model.Evaluate(global, clients);
            result.Accuracy[round - 1] = (double)correct / total;
            progress.WriteLine($"  [{aggregator.Name}] round {round}/{options.Rounds}: accuracy {result.Accuracy[round - 1]:F4}");
        }
        result.Seconds = wall.Elapsed.TotalSeconds;
        result.Summary = aggregator.Summary();
        return result;
    }

    /// <summary>The m clients of round <paramref name="round"/>: a seeded partial Fisher-Yates shuffle, sorted.</summary>
    public int[] SampleClients(int round)
    {
        var rng = new Random(unchecked((options.Seed * 7919) + round));
        var ids = Enumerable.Range(0, clients.Count).ToArray();
        for (int i = 0; i < options.ClientsPerRound; i++)
        {
            int j = rng.Next(i, ids.Length);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return [.. ids.Take(options.ClientsPerRound).Order()];
    }

    private ClientUpdate LocalUpdate(double[] global, int client, int round)
    {
        var local = (double[])global.Clone();
        var shuffle = new Random(unchecked((options.Seed * 1_000_003) + (round * 10_007) + client));
        model.Train(local, clients[client], options.LocalEpochs, options.BatchSize, options.LearningRate, shuffle);
        for (int i = 0; i < local.Length; i++)
        {
            local[i] -= global[i];
        }
        return new ClientUpdate(client, local, (uint)clients[client].TrainCount);
    }
}
