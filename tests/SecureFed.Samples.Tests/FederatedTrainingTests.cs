using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Quantization;
using SecureFed.Samples.FederatedTraining;

namespace SecureFed.Samples.Tests;

// The sample's training loop at a tiny size: the secure runs' sums must equal the plain ones bit for bit.
public sealed class FederatedTrainingTests
{
    private static readonly SyntheticOptions TinyData = new() { Clients = 8, MaxSamplesPerClient = 120, Seed = 3 };

    private static TrainingOptions Tiny(params string[] methods) => new()
    {
        Rounds = 3,
        ClientsPerRound = 4,
        LocalEpochs = 1,
        Decryptors = 3,
        Methods = methods,
    };

    [Fact]
    public void SecureRunsSumExactlyAsThePlainQuantizedRunAndReachItsModel()
    {
        TrainingOptions training = Tiny("plain", "plain-q", "masking", "he");
        IReadOnlyList<RunResult> results = new SampleRunner(TinyData, training).Run(TextWriter.Null);
        RunResult plainQ = results.Single(r => r.Method == "plain-q");
        foreach (RunResult secure in results.Where(r => r.Method is "masking" or "he"))
        {
            Assert.Equal(training.Rounds, secure.SumChecks);
            Assert.Equal(0, secure.SumMismatches);
            Assert.Equal(plainQ.FinalParameters, secure.FinalParameters); // exact double equality
            Assert.Equal(plainQ.Accuracy, secure.Accuracy);
        }
        // The model actually moved, and quantization kept it close to the float run.
        RunResult plain = results.Single(r => r.Method == "plain");
        Assert.Contains(plain.FinalParameters, p => p != 0);
        Assert.All(plain.FinalParameters.Zip(plainQ.FinalParameters), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-3));
        Assert.Equal(0, new SampleReport(results, training).Write(TextWriter.Null));
    }

    [Fact]
    public void DistributedDpRunSumsExactlyAndAddsThePlannedNoise()
    {
        TrainingOptions training = Tiny("ddp", "cdp") with { Rounds = 4 };
        IReadOnlyList<RunResult> results = new SampleRunner(TinyData, training).Run(TextWriter.Null);
        RunResult ddp = results.Single(r => r.Method == "ddp");
        Assert.Equal(training.Rounds, ddp.SumChecks);
        Assert.Equal(0, ddp.SumMismatches);
        Assert.All(results, r => Assert.True(r.Noise!.Within, $"{r.Method}: {r.Noise}"));
        Assert.Contains("-DP over 4 rounds", ddp.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskedSumReportsAMismatchWhenTheReferenceDiffers()
    {
        var quantizer = WeightedQuantizer.Create(1.0, 32, 3, 10);
        using var seed = new RoundingSeed(SystemRandomSource.Instance);
        using var encoder = new QuantizedUpdateEncoder(quantizer, 5, seed);
        var updates = Enumerable.Range(0, 3).Select(i => new ClientUpdate(i, [0.1 * i, -0.2, 0.3, 0, 0.5], (uint)(i + 1))).ToList();
        ulong[][][] encoded = encoder.Encode(updates);
        ulong[][] plain = encoder.PlainSum(encoded);
        Assert.True(MaskedSum.Run(encoder.Vectors, encoded, plain).Matches);
        plain[0][2] ^= 1;
        (ulong[][]? sums, bool matches) = MaskedSum.Run(encoder.Vectors, encoded, plain);
        Assert.NotNull(sums);
        Assert.False(matches);
    }

    [Fact]
    public void ReportFailsWhenASecureSumDiffered()
    {
        TrainingOptions training = Tiny("plain-q", "masking") with { Rounds = 1 };
        var plainQ = new RunResult("plain-q", 1, 2);
        var masking = new RunResult("masking", 1, 2) { SumChecks = 1, SumMismatches = 1 };
        Assert.Equal(1, new SampleReport([plainQ, masking], training).Write(TextWriter.Null));
        masking.SumMismatches = 0;
        Assert.Equal(0, new SampleReport([plainQ, masking], training).Write(TextWriter.Null));
        masking.FinalParameters[1] = 1e-300; // a model that differs in the last bit of one parameter
        Assert.Equal(1, new SampleReport([plainQ, masking], training).Write(TextWriter.Null));
    }

    [Fact]
    public void NoiseCheckRejectsTooLittleAndTooMuchNoise()
    {
        Assert.True(new NoiseCheck(1.0, 1.0, 1.0, 20_000).Within);
        Assert.False(new NoiseCheck(0.8, 1.0, 1.0, 20_000).Within);
        Assert.False(new NoiseCheck(1.2, 1.0, 1.0, 20_000).Within);
    }

    // Over the real service (Kestrel + SQLite on 127.0.0.1, SecureFedClient floats, 64-bit encoding, clip above every
    // delta): the model and accuracy equal the in-process float FedAvg to float rounding.
    [Fact]
    public void TheServiceRunMatchesThePlainFloatFedAvgToRounding()
    {
        var data = new SyntheticOptions { Clients = 4, MaxSamplesPerClient = 120, Seed = 3 };
        TrainingOptions training = Tiny("plain", "service") with { ClientsPerRound = 4 };
        IReadOnlyList<RunResult> results = new SampleRunner(data, training).Run(TextWriter.Null);
        RunResult plain = results.Single(r => r.Method == "plain"), service = results.Single(r => r.Method == "service");
        Assert.Contains(plain.FinalParameters, p => p != 0);
        Assert.All(plain.FinalParameters.Zip(service.FinalParameters), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-9, $"{p.First} vs {p.Second}"));
        Assert.Equal(plain.Accuracy, service.Accuracy);
    }

    // Client sampling over the service: each round's roster is its sampled clients (4 of 6, a different subset each
    // round); the model still equals the in-process float FedAvg over the same samples to float rounding.
    [Fact]
    public void TheServiceRunSamplesClientsPerRoundAndMatchesThePlainFloatFedAvg()
    {
        var data = new SyntheticOptions { Clients = 6, MaxSamplesPerClient = 120, Seed = 5 };
        TrainingOptions training = Tiny("plain", "service") with { ClientsPerRound = 4 };
        IReadOnlyList<RunResult> results = new SampleRunner(data, training).Run(TextWriter.Null);
        RunResult plain = results.Single(r => r.Method == "plain"), service = results.Single(r => r.Method == "service");
        Assert.All(plain.FinalParameters.Zip(service.FinalParameters), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-9, $"{p.First} vs {p.Second}"));
        Assert.Equal(plain.Accuracy, service.Accuracy);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (Tiny("service") with { ClientsPerRound = 2 }).Validate(8));
        Assert.Equal("ClientsPerRound", e.ParamName);
    }
}
