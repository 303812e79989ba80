namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// Multinomial logistic regression: logits = W x + b with W (classes x dimension, row-major) followed by b in one
/// flat parameter vector of <see cref="ParameterCount"/> values, the layout every aggregator sums.
/// </summary>
internal sealed class SoftmaxRegression
{
    public SoftmaxRegression(int dimension, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Dimension = dimension;
        Classes = classes;
    }

    public int Dimension { get; }

    public int Classes { get; }

    public int ParameterCount => Classes * (Dimension + 1);

    /// <summary>
    /// Mini-batch SGD on the cross-entropy loss for <paramref name="epochs"/> passes over the client's training data,
    /// in an order drawn from <paramref name="shuffle"/> (public, seeded: every run sees the same batches).
    /// </summary>
    public void Train(Span<double> parameters, ClientDataset data, int epochs, int batchSize, double learningRate, Random shuffle)
    {
        CheckShape(parameters.Length, data);
        int d = Dimension;
        int n = data.TrainCount;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        var gradient = new double[ParameterCount];
        Span<double> probabilities = stackalloc double[Classes];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            shuffle.Shuffle(order);
            for (int start = 0; start < n; start += batchSize)
            {
                int end = Math.Min(n, start + batchSize);
                Array.Clear(gradient);
                for (int s = start; s < end; s++)
                {
                    int e = order[s];
                    ReadOnlySpan<double> x = data.TrainFeatures.AsSpan(e * d, d);
                    Probabilities(parameters, x, probabilities);
                    probabilities[data.TrainLabels[e]] -= 1; // d loss / d logit = p - onehot(y)
                    for (int c = 0; c < Classes; c++)
                    {
                        double g = probabilities[c];
                        Span<double> gc = gradient.AsSpan(c * d, d);
                        for (int j = 0; j < d; j++)
                        {
                            gc[j] += g * x[j];
                        }
                        gradient[(Classes * d) + c] += g;
                    }
                }
                double step = learningRate / (end - start);
                for (int i = 0; i < parameters.Length; i++)
                {
                    parameters[i] -= step * gradient[i];
                }
            }
        }
    }

    /// <summary>Correctly classified test examples over all <paramref name="clients"/>, and their total.</summary>
    public (long Correct, long Total) Evaluate(ReadOnlySpan<double> parameters, IReadOnlyList<ClientDataset> clients)
    {
        long correct = 0, total = 0;
        Span<double> logits = stackalloc double[Classes];
        foreach (ClientDataset data in clients)
        {
            CheckShape(parameters.Length, data);
            for (int e = 0; e < data.TestCount; e++)
            {
                Logits(parameters, data.TestFeatures.AsSpan(e * Dimension, Dimension), logits);
                int best = 0;
                for (int c = 1; c < Classes; c++)
                {
                    if (logits[c] > logits[best])
                    {
                        best = c;
                    }
                }
                correct += best == data.TestLabels[e] ? 1 : 0;
                total++;
            }
        }
        return (correct, total);
    }

    private void Logits(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> logits)
    {
        int d = Dimension;
        for (int c = 0; c < Classes; c++)
        {
            ReadOnlySpan<double> wc = parameters.Slice(c * d, d);
            double z = parameters[(Classes * d) + c];
            for (int j = 0; j < d; j++)
            {
                z += wc[j] * x[j];
            }
            logits[c] = z;
        }
    }

    private void Probabilities(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> p)
    {
        Logits(parameters, x, p);
        double max = double.NegativeInfinity;
        foreach (double z in p)
        {
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < p.Length; c++)
        {
            p[c] = Math.Exp(p[c] - max); // shifted by the max: no overflow
            sum += p[c];
        }
        for (int c = 0; c < p.Length; c++)
        {
            p[c] /= sum;
        }
    }

    private void CheckShape(int parameterCount, ClientDataset data)
    {
        if (parameterCount != ParameterCount)
        {
            throw new ArgumentException($"parameters must have {ParameterCount} values, got {parameterCount}", nameof(parameterCount));
        }
        if (data.Dimension != Dimension)
        {
            throw new ArgumentException($"data has dimension {data.Dimension}, the model {Dimension}", nameof(data));
        }
    }
}
