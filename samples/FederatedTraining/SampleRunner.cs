using SecureFed.Lattice.Bfv;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Pipeline;
using SecureFed.Protocol.Quantization;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>Generates the data, trains once per method, and returns the results in the order of the options' methods.</summary>
internal sealed class SampleRunner(SyntheticOptions data, TrainingOptions training)
{
    public IReadOnlyList<RunResult> Run(TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        training.Validate(data.Clients);
        ClientDataset[] clients = SyntheticFederatedData.Generate(data);
        var model = new SoftmaxRegression(data.Dimension, data.Classes);
        var trainer = new FederatedTrainer(clients, model, training);
        // The largest FedAvg weight bounds the quantizer's range; in a deployment it is a published cap.
        uint maxWeight = (uint)clients.Max(c => c.TrainCount);
        WeightedQuantizer quantizer = Configure("quantizer", () => WeightedQuantizer.Create(training.QuantizationRange, training.QuantizationBits, training.ClientsPerRound, maxWeight));
        IRandomSource random = SystemRandomSource.Instance;
        using var roundingSeed = new RoundingSeed(random);
        var results = new List<RunResult>();
        foreach (string method in training.Methods)
        {
            progress.WriteLine($"running {method} ...");
            using var encoder = new QuantizedUpdateEncoder(quantizer, model.ParameterCount, roundingSeed);
            IUpdateAggregator aggregator = Configure<IUpdateAggregator>(method, () => method switch
            {
                "plain" => new PlainFloatAggregator(),
                "plain-q" => new PlainQuantizedAggregator(encoder),
                "masking" => new MaskingAggregator(encoder),
                "he" => new HeAggregator(encoder, training.ClientsPerRound, training.Decryptors,
                    training.DecryptionThreshold == 0 ? (training.Decryptors / 2) + 1 : training.DecryptionThreshold, random),
                "ddp" => new DistributedDpAggregator(DistributedDpPlanner.Plan(DpOptions(model)), random),
                "service" or "service-dp" => new ServiceAggregator(method == "service-dp", training.Server, training.AdminKey, clients.Length,
                    model.ParameterCount, maxWeight, training, progress),
                "cdp" => new CentralDpAggregator(training.DpClipNorm, DistributedDpPlanner.IdealCentralStdDev(DpOptions(model)), training.ClientsPerRound, random),
                _ => throw new ArgumentOutOfRangeException(nameof(training), method, "unknown method"),
            });
            try
            {
                RunResult result = trainer.Run(aggregator, progress);
                result.Noise = aggregator switch
                {
                    DistributedDpAggregator ddp => ddp.CheckNoise(),
                    CentralDpAggregator cdp => cdp.CheckNoise(),
                    _ => null,
                };
                results.Add(result);
            }
            finally
            {
                (aggregator as IDisposable)?.Dispose();
            }
        }
        return results;
    }

    // Parameters the libraries refuse (too few bits for the clients and weights, no secure HE ring, no DP plan)
    // are usage errors: report the library's first line, naming the field.
    private static T Configure<T>(string what, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) when (e is ArgumentException or HeParameterException or DpPlanningException)
        {
            throw new SampleUsageException($"{what}: {e.Message.Split(Environment.NewLine)[0]}");
        }
    }

    /// <summary>The DP target: (epsilon, delta) for all rounds together, every sampled client surviving, no amplification.</summary>
    private DistributedDpOptions DpOptions(SoftmaxRegression model) => new()
    {
        Epsilon = training.DpEpsilon,
        Delta = training.DpDelta,
        ClipNorm = training.DpClipNorm,
        ExpectedClients = training.ClientsPerRound,
        MinimumSurvivors = training.ClientsPerRound,
        Dimension = model.ParameterCount,
        Rounds = training.Rounds,
    };
}
