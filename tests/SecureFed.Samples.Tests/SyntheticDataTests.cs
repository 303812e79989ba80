using SecureFed.Samples.FederatedTraining;

namespace SecureFed.Samples.Tests;

public sealed class SyntheticDataTests
{
    [Fact]
    public void GenerationIsReproducibleAndShapedAsAsked()
    {
        var options = new SyntheticOptions { Clients = 5, MaxSamplesPerClient = 200, Seed = 7 };
        ClientDataset[] a = SyntheticFederatedData.Generate(options);
        ClientDataset[] b = SyntheticFederatedData.Generate(options);
        ClientDataset[] c = SyntheticFederatedData.Generate(options with { Seed = 8 });
        Assert.Equal(5, a.Length);
        for (int k = 0; k < a.Length; k++)
        {
            Assert.Equal(a[k].TrainFeatures, b[k].TrainFeatures);
            Assert.Equal(a[k].TestLabels, b[k].TestLabels);
            int size = a[k].TrainCount + a[k].TestCount;
            Assert.InRange(size, 50, 200);
            Assert.Equal((int)(0.9 * size), a[k].TrainCount);
            Assert.All(a[k].TrainLabels, y => Assert.InRange(y, 0, 9));
            Assert.Equal(60 * a[k].TrainCount, a[k].TrainFeatures.Length);
        }
        Assert.NotEqual(a[0].TrainFeatures, c[0].TrainFeatures);
    }

    [Fact]
    public void FeatureVarianceFollowsTheDiagonalCovariance()
    {
        // One client, many examples: the sample variance of feature j must be close to j^-1.2.
        ClientDataset data = SyntheticFederatedData.Generate(new SyntheticOptions { Clients = 40, MaxSamplesPerClient = 2000, Seed = 11 })
            .OrderByDescending(d => d.TrainCount).First();
        Assert.True(data.TrainCount >= 500, $"largest client has only {data.TrainCount} examples");
        foreach (int j in new[] { 0, 9, 59 })
        {
            double[] column = Enumerable.Range(0, data.TrainCount).Select(i => data.TrainFeatures[(i * 60) + j]).ToArray();
            double mean = column.Average();
            double variance = column.Sum(x => (x - mean) * (x - mean)) / (column.Length - 1);
            double expected = Math.Pow(j + 1, -1.2);
            Assert.InRange(variance / expected, 0.8, 1.2);
        }
    }

    [Fact]
    public void LocalTrainingLearnsAClientsLabels()
    {
        ClientDataset data = SyntheticFederatedData.Generate(new SyntheticOptions { Clients = 1, MaxSamplesPerClient = 1000, Seed = 5 })[0];
        var model = new SoftmaxRegression(60, 10);
        var parameters = new double[model.ParameterCount];
        (long before, long total) = model.Evaluate(parameters, [data]);
        model.Train(parameters, data, 10, 10, 0.01, new Random(1));
        (long after, _) = model.Evaluate(parameters, [data]);
        Assert.True(after > before, $"accuracy {before}/{total} -> {after}/{total}");
    }

    [Theory]
    [InlineData("Alpha", -1.0)]
    [InlineData("TrainFraction", 1.0)]
    [InlineData("MaxSamplesPerClient", 10.0)]
    public void BadDataOptionsNameTheField(string field, double value)
    {
        var options = field switch
        {
            "Alpha" => new SyntheticOptions { Alpha = value },
            "TrainFraction" => new SyntheticOptions { TrainFraction = value },
            _ => new SyntheticOptions { MaxSamplesPerClient = (int)value },
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticFederatedData.Generate(options));
        Assert.Equal(field, e.ParamName);
    }

    [Theory]
    [InlineData("--rounds", "0", "Rounds")]
    [InlineData("--per-round", "200", "ClientsPerRound")]
    [InlineData("--methods", "plain,magic", "Methods")]
    [InlineData("--epsilon", "abc", "--epsilon")]
    [InlineData("--bogus", "1", "--bogus")]
    public void BadCommandLinesAreUsageErrorsNamingTheOption(string option, string value, string named)
    {
        var e = Assert.Throws<SampleUsageException>(() => CommandLine.Parse([option, value]));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallPresetCanBeOverridden()
    {
        (SyntheticOptions data, TrainingOptions training, bool quiet) = CommandLine.Parse(["--small", "--rounds", "7", "--quiet"]);
        Assert.Equal(20, data.Clients);
        Assert.Equal(7, training.Rounds);
        Assert.True(quiet);
    }
}
