namespace SecureFed.Samples.FederatedTraining;

/// <summary>Reference FedAvg in floating point: the sample-weighted mean of the clients' deltas, no protection.</summary>
internal sealed class PlainFloatAggregator : IUpdateAggregator
{
    public string Name => "plain";

    public AggregationOutcome Aggregate(int round, IReadOnlyList<ClientUpdate> updates)
    {
        var mean = new double[updates[0].Delta.Length];
        double total = 0;
        foreach (ClientUpdate u in updates)
        {
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += u.Weight * u.Delta[i];
            }
            total += u.Weight;
        }
        for (int i = 0; i < mean.Length; i++)
        {
            mean[i] /= total;
        }
        return new AggregationOutcome(mean, null);
    }

    public string? Summary() => null;
}
