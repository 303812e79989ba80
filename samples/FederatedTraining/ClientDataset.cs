namespace SecureFed.Samples.FederatedTraining;

/// <summary>One client's local data: row-major feature matrices (Dimension values per example) and class labels.</summary>
internal sealed class ClientDataset
{
    public ClientDataset(int dimension, double[] trainFeatures, int[] trainLabels, double[] testFeatures, int[] testLabels)
    {
        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be at least 1");
        }
        if (trainFeatures.Length != trainLabels.Length * dimension)
        {
            throw new ArgumentException($"trainFeatures must hold {trainLabels.Length} x {dimension} values", nameof(trainFeatures));
        }
        if (testFeatures.Length != testLabels.Length * dimension)
        {
            throw new ArgumentException($"testFeatures must hold {testLabels.Length} x {dimension} values", nameof(testFeatures));
        }
        Dimension = dimension;
        TrainFeatures = trainFeatures;
        TrainLabels = trainLabels;
        TestFeatures = testFeatures;
        TestLabels = testLabels;
    }

    public int Dimension { get; }

    public double[] TrainFeatures { get; }

    public int[] TrainLabels { get; }

    public double[] TestFeatures { get; }

    public int[] TestLabels { get; }

    public int TrainCount => TrainLabels.Length;

    public int TestCount => TestLabels.Length;
}
