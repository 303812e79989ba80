namespace SecureFed.Samples.FederatedTraining;

/// <summary>How one method turns a round's client updates into the server's update of the global model.</summary>
internal interface IUpdateAggregator
{
    /// <summary>Short name for tables ("plain", "masking", ...).</summary>
    string Name { get; }

    AggregationOutcome Aggregate(int round, IReadOnlyList<ClientUpdate> updates);

    /// <summary>A line for the final summary (e.g. the privacy spent), or null.</summary>
    string? Summary();
}

/// <summary>
/// The server's update for one round. <paramref name="SecureSumMatches"/> is null for methods without a secure sum,
/// otherwise whether the secure sum equals, bit for bit, the plain modular sum of the same client encodings.
/// </summary>
internal sealed record AggregationOutcome(double[] Update, bool? SecureSumMatches);
