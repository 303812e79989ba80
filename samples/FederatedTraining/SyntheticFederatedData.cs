using MathNet.Numerics.Distributions;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// Generates Synthetic(alpha, beta): for client k, u_k ~ N(0, alpha^2), B_k ~ N(0, beta^2); W_k ~ N(u_k, 1)
/// (classes x dimension), b_k ~ N(u_k, 1); v_k ~ N(B_k, 1) per feature; x ~ N(v_k, Sigma) with Sigma diagonal,
/// Sigma_jj = j^-1.2 (j from 1); y = argmax softmax(W_k x + b_k) = argmax(W_k x + b_k). Sizes: lognormal(4, 2) + 50,
/// capped. Reproducible from the seed: this is public benchmark data, so a seeded System.Random is the right tool.
/// </summary>
internal static class SyntheticFederatedData
{
    // lognormal(mu = 4, sigma = 2) + 50 examples per client, as in the FedProx generator.
    private const double SizeLogMean = 4.0;
    private const double SizeLogStdDev = 2.0;
    internal const int SizeOffset = 50;

    public static ClientDataset[] Generate(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var rng = new Random(options.Seed);
        int d = options.Dimension;
        int classes = options.Classes;
        var featureStdDev = new double[d];
        for (int j = 0; j < d; j++)
        {
            featureStdDev[j] = Math.Sqrt(Math.Pow(j + 1, -1.2));
        }
        var clients = new ClientDataset[options.Clients];
        var w = new double[classes * d];
        var b = new double[classes];
        var v = new double[d];
        for (int k = 0; k < options.Clients; k++)
        {
            int size = (int)Math.Min(options.MaxSamplesPerClient, LogNormal.Sample(rng, SizeLogMean, SizeLogStdDev) + SizeOffset);
            double u = Normal.Sample(rng, 0, options.Alpha);
            double bk = Normal.Sample(rng, 0, options.Beta);
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = Normal.Sample(rng, u, 1);
            }
            for (int c = 0; c < classes; c++)
            {
                b[c] = Normal.Sample(rng, u, 1);
            }
            for (int j = 0; j < d; j++)
            {
                v[j] = Normal.Sample(rng, bk, 1);
            }
            var x = new double[size * d];
            var y = new int[size];
            for (int s = 0; s < size; s++)
            {
                Span<double> row = x.AsSpan(s * d, d);
                for (int j = 0; j < d; j++)
                {
                    row[j] = v[j] + featureStdDev[j] * Normal.Sample(rng, 0, 1);
                }
                y[s] = ArgMaxLogit(w, b, row);
            }
            int train = Math.Clamp((int)(options.TrainFraction * size), 1, size - 1);
            clients[k] = new ClientDataset(d, x[..(train * d)], y[..train], x[(train * d)..], y[train..]);
        }
        return clients;
    }

    private static int ArgMaxLogit(double[] w, double[] b, ReadOnlySpan<double> x)
    {
        int best = 0;
        double bestLogit = double.NegativeInfinity;
        for (int c = 0; c < b.Length; c++)
        {
            double logit = b[c];
            ReadOnlySpan<double> wc = w.AsSpan(c * x.Length, x.Length);
            for (int j = 0; j < x.Length; j++)
            {
                logit += wc[j] * x[j];
            }
            if (logit > bestLogit)
            {
                bestLogit = logit;
                best = c;
            }
        }
        return best;
    }
}
