namespace SecureFed.Samples.FederatedTraining;

/// <summary>FedAvg over the quantized encodings summed in the clear: what the secure runs must reproduce exactly.</summary>
internal sealed class PlainQuantizedAggregator(QuantizedUpdateEncoder encoder) : IUpdateAggregator
{
    public string Name => "plain-q";

    public AggregationOutcome Aggregate(int round, IReadOnlyList<ClientUpdate> updates) =>
        new(encoder.Decode(encoder.PlainSum(encoder.Encode(updates))), null);

    public string? Summary() => null;
}
