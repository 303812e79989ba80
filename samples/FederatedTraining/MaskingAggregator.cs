namespace SecureFed.Samples.FederatedTraining;

/// <summary>FedAvg whose weighted sums are computed by SecureFed's masking protocol; the server decodes only the sum.</summary>
internal sealed class MaskingAggregator(QuantizedUpdateEncoder encoder) : IUpdateAggregator
{
    public string Name => "masking";

    public AggregationOutcome Aggregate(int round, IReadOnlyList<ClientUpdate> updates)
    {
        ulong[][][] encoded = encoder.Encode(updates);
        ulong[][] plain = encoder.PlainSum(encoded);
        (ulong[][]? sums, bool matches) = MaskedSum.Run(encoder.Vectors, encoded, plain);
        if (sums is null)
        {
            throw new InvalidOperationException($"round {round}: the secure-aggregation round aborted");
        }
        return new AggregationOutcome(encoder.Decode(sums), matches);
    }

    public string? Summary() => null;
}
