namespace SecureFed.Samples.FederatedTraining;

/// <summary>FedAvg and protection settings of a sample run (validated by <see cref="Validate"/>).</summary>
internal sealed record TrainingOptions
{
    public int Rounds { get; init; } = 30;

    public int ClientsPerRound { get; init; } = 10;

    public int LocalEpochs { get; init; } = 5;

    public int BatchSize { get; init; } = 10;

    public double LearningRate { get; init; } = 0.01;

    /// <summary>Seed of the public training randomness: which clients each round samples and their batch order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Each coordinate of a delta is clipped to [-QuantizationRange, QuantizationRange] before quantizing.</summary>
    public double QuantizationRange { get; init; } = 4.0;

    /// <summary>Modulus 2^bits of the quantized sums (masking and HE).</summary>
    public int QuantizationBits { get; init; } = 32;

    public int Decryptors { get; init; } = 5;

    /// <summary>Decryption shares needed; 0 = a strict majority of the decryptors.</summary>
    public int DecryptionThreshold { get; init; }

    public double DpEpsilon { get; init; } = 8.0;

    public double DpDelta { get; init; } = 1e-5;

    /// <summary>L2 clip norm of each client delta under DP.</summary>
    public double DpClipNorm { get; init; } = 1.0;

    /// <summary>Methods to run, in order, from plain, plain-q, masking, he, ddp, cdp, service, service-dp.</summary>
    public IReadOnlyList<string> Methods { get; init; } = AllMethods;

    /// <summary>The methods a run makes by default (all in process).</summary>
    public static IReadOnlyList<string> AllMethods { get; } = ["plain", "plain-q", "masking", "he", "ddp", "cdp"];

    /// <summary>Over the real service: float masking rounds over each round's sampled clients, without or with distributed DP.</summary>
    public static IReadOnlyList<string> ServiceMethods { get; } = ["service", "service-dp"];

    /// <summary>The aggregator the service methods use; null to start one on 127.0.0.1.</summary>
    public Uri? Server { get; init; }

    /// <summary>The admin key of <see cref="Server"/>.</summary>
    public string? AdminKey { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate(int clients)
    {
        Require(Rounds >= 1, nameof(Rounds), Rounds, "must be at least 1");
        // The masking protocol needs at least 3 clients (a strict-majority threshold below the client count).
        Require(ClientsPerRound >= 3 && ClientsPerRound <= clients, nameof(ClientsPerRound), ClientsPerRound, $"must be in [3, clients = {clients}]");
        Require(LocalEpochs >= 1, nameof(LocalEpochs), LocalEpochs, "must be at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be positive and finite");
        Require(QuantizationRange > 0 && double.IsFinite(QuantizationRange), nameof(QuantizationRange), QuantizationRange, "must be positive and finite");
        Require(QuantizationBits is >= 16 and <= 64, nameof(QuantizationBits), QuantizationBits, "must be in [16, 64]");
        Require(Decryptors >= 1, nameof(Decryptors), Decryptors, "must be at least 1");
        Require(DecryptionThreshold >= 0 && DecryptionThreshold <= Decryptors, nameof(DecryptionThreshold), DecryptionThreshold, $"must be in [0, decryptors = {Decryptors}]");
        Require(DpEpsilon > 0 && double.IsFinite(DpEpsilon), nameof(DpEpsilon), DpEpsilon, "must be positive and finite");
        Require(DpDelta > 0 && DpDelta < 1, nameof(DpDelta), DpDelta, "must be in (0, 1)");
        Require(DpClipNorm > 0 && double.IsFinite(DpClipNorm), nameof(DpClipNorm), DpClipNorm, "must be positive and finite");
        Require(Methods.Count > 0, nameof(Methods), string.Join(",", Methods), "must name at least one method");
        foreach (string m in Methods)
        {
            Require(AllMethods.Contains(m) || ServiceMethods.Contains(m), nameof(Methods), m, $"unknown method (known: {string.Join(", ", AllMethods.Concat(ServiceMethods))})");
        }
        Require(!Methods.Any(ServiceMethods.Contains) || ClientsPerRound >= 3, nameof(ClientsPerRound), ClientsPerRound,
            "must be at least 3 for the service methods (a hosted round's graph finder needs 3 clients)");
    }

    private static void Require(bool ok, string field, object value, string message)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{field} {message}");
        }
    }
}
