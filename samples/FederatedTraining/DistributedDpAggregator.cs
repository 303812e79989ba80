using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Vectors;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// DP-FedAvg with distributed DP over masking: each client clips its delta to L2 norm c, and the
/// <see cref="DpClientEncoder"/> rotates, scales, rounds and adds its share of discrete Gaussian noise (from the OS
/// CSPRNG); the masked sum is decoded and divided by the expected clients per round (a fixed denominator, so one
/// client moves the mean by at most c / m). Unweighted, because a sample-count weight would raise the sensitivity.
/// The accountant charges every round with the survivors that actually contributed noise.
/// </summary>
internal sealed class DistributedDpAggregator(DistributedDpPlan plan, IRandomSource random) : IUpdateAggregator
{
    private readonly DistributedDpAccountant _accountant = new(plan);

    public NoiseMeter Meter { get; } = new(plan.ClipNorm, plan.ExpectedClients);

    public string Name => "ddp";

    public DistributedDpPlan Plan => plan;

    public AggregationOutcome Aggregate(int round, IReadOnlyList<ClientUpdate> updates)
    {
        var roundSeed = new byte[32];
        random.Fill(roundSeed); // public per-round rotation seed, known to all clients and the server
        var encoder = new DpClientEncoder(plan, roundSeed);
        var encoded = new ulong[updates.Count][][];
        var plain = new ulong[plan.PaddedDimension];
        for (int i = 0; i < updates.Count; i++)
        {
            var words = new ulong[plan.PaddedDimension];
            encoder.Encode(updates[i].Delta, words, random);
            ModularArithmetic.AddInPlace(plain, words, plan.Bits);
            encoded[i] = [words];
        }
        VectorSpec[] vectors = [new VectorSpec { Length = plan.PaddedDimension, Bits = plan.Bits }];
        (ulong[][]? sums, bool matches) = MaskedSum.Run(vectors, encoded, [plain]);
        if (sums is null)
        {
            throw new InvalidOperationException($"round {round}: the secure-aggregation round aborted");
        }
        _accountant.RecordRound(updates.Count);
        var estimate = new double[plan.Dimension];
        new DpServerDecoder(plan, roundSeed).Decode(sums[0], estimate);
        for (int i = 0; i < estimate.Length; i++)
        {
            estimate[i] /= plan.ExpectedClients;
        }
        Meter.Record(updates, estimate);
        return new AggregationOutcome(estimate, matches);
    }

    public PrivacySpent Spent() => _accountant.Spent();

    /// <summary>
    /// Per coordinate of the mean: gamma^2 m sigma^2 / m^2 of noise (m survivors, each adding its discrete Gaussian
    /// share) plus up to gamma^2 m / 4 / m^2 of randomized rounding (at most 1/4 per client and coordinate).
    /// </summary>
    public NoiseCheck CheckNoise()
    {
        double m = plan.ExpectedClients;
        double unit = plan.Scale * plan.Scale * m / (m * m);
        return new NoiseCheck(Meter.MeanSquaredError, unit * plan.PerClientNoiseVariance, unit * (plan.PerClientNoiseVariance + 0.25), Meter.Coordinates);
    }

    public string? Summary()
    {
        PrivacySpent spent = Spent();
        return $"({spent.Epsilon:F2}, {spent.Delta:G2})-DP over {_accountant.RoundsRecorded} rounds (RDP, {spent.Conversion} conversion, no sampling amplification claimed); " +
            $"clip {plan.ClipNorm}, {plan.Bits} bits, per-client noise variance {plan.PerClientNoiseVariance:G3} x gamma {plan.Scale:G3}";
    }
}
