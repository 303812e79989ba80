namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// Synthetic(alpha, beta) of FedProx (Li et al. 2020, "Federated Optimization in Heterogeneous Networks"): alpha
/// controls how much the clients' models differ, beta how much their feature distributions differ.
/// </summary>
internal sealed record SyntheticOptions
{
    public int Clients { get; init; } = 100;

    public double Alpha { get; init; } = 1.0;

    public double Beta { get; init; } = 1.0;

    /// <summary>Features per example (60 in the paper).</summary>
    public int Dimension { get; init; } = 60;

    /// <summary>Classes (10 in the paper).</summary>
    public int Classes { get; init; } = 10;

    /// <summary>
    /// Cap on one client's examples. The paper's sizes are lognormal(4, 2) + 50, whose tail reaches tens of
    /// thousands; the cap keeps the sample's run time and the largest FedAvg weight bounded.
    /// </summary>
    public int MaxSamplesPerClient { get; init; } = 2000;

    /// <summary>Fraction of each client's examples used for training (the rest is its test split).</summary>
    public double TrainFraction { get; init; } = 0.9;

    /// <summary>Seed of the data generator (the benchmark data are public, not secret).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        SyntheticOptions o = this;
        if (o.Clients < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o.Clients), o.Clients, "Clients must be at least 1");
        }
        if (!(o.Alpha >= 0) || double.IsInfinity(o.Alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(o.Alpha), o.Alpha, "Alpha must be a finite number >= 0");
        }
        if (!(o.Beta >= 0) || double.IsInfinity(o.Beta))
        {
            throw new ArgumentOutOfRangeException(nameof(o.Beta), o.Beta, "Beta must be a finite number >= 0");
        }
        if (o.Dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o.Dimension), o.Dimension, "Dimension must be at least 1");
        }
        if (o.Classes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(o.Classes), o.Classes, "Classes must be at least 2");
        }
        if (o.MaxSamplesPerClient < SyntheticFederatedData.SizeOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(o.MaxSamplesPerClient), o.MaxSamplesPerClient, $"MaxSamplesPerClient must be at least {SyntheticFederatedData.SizeOffset}");
        }
        if (!(o.TrainFraction > 0 && o.TrainFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(o.TrainFraction), o.TrainFraction, "TrainFraction must be in (0, 1)");
        }
    }
}
