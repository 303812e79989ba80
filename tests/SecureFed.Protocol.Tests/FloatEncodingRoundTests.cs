using FsCheck;
using FsCheck.Fluent;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Vectors;
using SecureFed.Privacy.Pipeline;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Updates;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Protocol.Tests;

public class FloatEncodingRoundTests
{
    private static FloatEncodingParameters Parameters(int length, int clients, int bits, double clip = 1.0, double maxWeight = 1) =>
        FloatEncodingParameters.Create(new FloatEncodingOptions { Length = length, ClipNorm = clip, Clients = clients, Bits = bits, MaxWeight = maxWeight });

    // The exact weighted average of the clipped updates, with the weights the encoder actually applied.
    private static double[] PlainAverage(IReadOnlyList<double[]> updates, IReadOnlyList<double> weights, double clip)
    {
        var sum = new double[updates[0].Length];
        double total = 0;
        var clipped = new double[sum.Length];
        for (int u = 0; u < updates.Count; u++)
        {
            L2Clipping.ClipInto(updates[u], clip, clipped);
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += weights[u] * clipped[i];
            }
            total += weights[u];
        }
        return [.. sum.Select(s => s / total)];
    }

    [Fact]
    public void Decoded_average_matches_the_plain_weighted_average_within_the_stated_bound()
    {
        var gen =
            from clients in Gen.Choose(1, 40)
            from survivorsCut in Gen.Choose(0, 100)
            from length in Gen.Choose(1, 33)
            from bits in Gen.Elements(16, 20, 32, 48, 64)
            from maxWeight in Gen.Elements(1.0, 3.5, 1000.0)
            from spread in Gen.Elements(0.1, 1.0, 10.0)
            from seed in Gen.Choose(1, int.MaxValue)
            select (clients, survivorsCut, length, bits, maxWeight, spread, seed);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var (clients, cut, length, bits, maxWeight, spread, seed) = c;
            double clip = 2.0;
            FloatEncodingParameters p = Parameters(length, clients, bits, clip, maxWeight);
            var encoder = new FloatUpdateEncoder(p);
            using var rng = new DeterministicRandomSource(seed);
            int survivors = Math.Max(1, clients * cut / 100);
            var updates = new List<double[]>();
            var weights = new List<double>();
            var sum = new ulong[length];
            ulong weightSum = 0;
            for (int u = 0; u < survivors; u++)
            {
                double[] x = [.. Enumerable.Range(0, length).Select(_ => (rng.NextDouble() * 2 - 1) * spread)];
                double w = Math.Max(FloatEncodingParameters.WeightUnit, rng.NextDouble() * maxWeight);
                EncodedUpdate e = u % 2 == 0 ? encoder.Encode(x, w, rng) : encoder.Encode([.. x.Select(v => (float)v)], w, rng);
                if (u % 2 == 1)
                {
                    x = [.. x.Select(v => (double)(float)v)];
                }
                updates.Add(x);
                weights.Add(e.Weight);
                ModularArithmetic.AddInPlace(sum, e.Vectors[0], bits);
                weightSum += e.Vectors[1][0];
            }
            DecodedAverage avg = new FloatAverageDecoder(p).Decode([sum, [weightSum]], survivors);
            double[] plain = PlainAverage(updates, weights, clip);
            float[] single = avg.ToSingle();
            bool ok = avg.Survivors == survivors && Math.Abs(avg.WeightSum - weights.Sum()) <= 1e-9 * avg.WeightSum;
            for (int i = 0; i < length; i++)
            {
                ok &= Math.Abs(avg.Average[i] - plain[i]) <= avg.ErrorBound;
                ok &= Math.Abs(single[i] - plain[i]) <= avg.SingleErrorBound;
            }
            return ok.Label($"clients {clients} survivors {survivors} bits {bits} bound {avg.ErrorBound}");
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(1000, 16, 1.0)]
    [InlineData(1000, 16, 7.0)]
    [InlineData(3, 64, 1.0)]
    [InlineData(50_000, 20, 1.0)]
    public void Every_client_at_the_clip_with_the_largest_weight_cannot_wrap(int clients, int bits, double maxWeight)
    {
        FloatEncodingParameters p = Parameters(2, clients, bits, clip: 3.0, maxWeight: maxWeight);
        var encoder = new FloatUpdateEncoder(p);
        using var rng = new DeterministicRandomSource(5);
        foreach (double sign in new[] { 1.0, -1.0 })
        {
            var sum = new ulong[2];
            ulong weights = 0;
            for (int u = 0; u < clients; u++)
            {
                EncodedUpdate e = encoder.Encode([sign * 30.0, 0.0], maxWeight, rng); // norm 30, clipped to 3
                Assert.True(e.Clipped);
                ModularArithmetic.AddInPlace(sum, e.Vectors[0], bits);
                weights += e.Vectors[1][0];
            }
            DecodedAverage avg = new FloatAverageDecoder(p).Decode(sum, weights, clients);
            Assert.InRange(avg.Average[0], sign * 3.0 - avg.ErrorBound, sign * 3.0 + avg.ErrorBound);
            Assert.InRange(avg.Average[1], -avg.ErrorBound, avg.ErrorBound);
        }
    }

    [Fact]
    public void Stochastic_rounding_is_unbiased()
    {
        // 16 bits, 1000 clients: scale 32 units per 1.0, so 0.3 sits between grid points 9/32 and 10/32.
        FloatEncodingParameters p = Parameters(1, 1000, 16);
        Assert.Equal(32, p.Scale);
        var encoder = new FloatUpdateEncoder(p);
        var decoder = new FloatAverageDecoder(p);
        using var rng = new DeterministicRandomSource(77);
        const int trials = 20_000;
        double total = 0;
        for (int t = 0; t < trials; t++)
        {
            EncodedUpdate e = encoder.Encode([0.3], 1, rng);
            total += decoder.Decode(e.Vectors, 1).Average[0];
        }
        // Each decode is 9/32 or 10/32 (std dev <= 1/64); 6 standard errors of the mean.
        Assert.InRange(total / trials, 0.3 - 6 * (1.0 / 64) / Math.Sqrt(trials), 0.3 + 6 * (1.0 / 64) / Math.Sqrt(trials));
    }

    [Fact]
    public void Rounding_randomness_comes_from_the_injected_source()
    {
        var encoder = new FloatUpdateEncoder(Parameters(64, 10, 16));
        double[] x = [.. Enumerable.Range(0, 64).Select(i => 0.01 * i / 7.0)];
        using var a = new DeterministicRandomSource(1);
        using var b = new DeterministicRandomSource(1);
        using var c = new DeterministicRandomSource(2);
        Assert.Equal(encoder.Encode(x, 1, a).Vectors[0], encoder.Encode(x, 1, b).Vectors[0]);
        Assert.NotEqual(encoder.Encode(x, 1, a).Vectors[0], encoder.Encode(x, 1, c).Vectors[0]);
    }

    [Fact]
    public void Bad_updates_are_refused_naming_the_first_bad_index()
    {
        var encoder = new FloatUpdateEncoder(Parameters(6, 10, 32));
        var rng = SystemRandomSource.Instance;
        var e = Assert.Throws<ArgumentException>(() => encoder.Encode([1f, 2f, float.PositiveInfinity, 0f, 0f, float.NaN], 1, rng));
        Assert.Contains("update[2] is infinite", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => encoder.Encode([0.0, 0, 0, double.NaN, 0, 0], 1, rng));
        Assert.Contains("update[3] is NaN", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => encoder.Encode(new float[5], 1, rng));
        Assert.Contains("6 coordinates, got 5", e.Message, StringComparison.Ordinal);
        Assert.Equal("update", e.ParamName);
        foreach (double w in new[] { 0, -1, 1.5, double.NaN, 1e-9 })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(new float[6], w, rng));
        }
    }

    [Fact]
    public void Clipping_is_reported()
    {
        var encoder = new FloatUpdateEncoder(Parameters(2, 10, 32, clip: 5));
        EncodedUpdate over = encoder.Encode([3.0, 4.01], 1, SystemRandomSource.Instance);
        Assert.True(over.Clipped);
        Assert.Equal(Math.Sqrt(9 + 4.01 * 4.01), over.OriginalNorm, 12);
        EncodedUpdate under = encoder.Encode([3.0, 3.99], 1, SystemRandomSource.Instance);
        Assert.False(under.Clipped);
    }

    [Fact]
    public void The_decoder_refuses_sums_of_the_wrong_shape_or_impossible_weights()
    {
        FloatEncodingParameters p = Parameters(3, 10, 20, maxWeight: 2);
        var d = new FloatAverageDecoder(p);
        Assert.Throws<ArgumentException>(() => d.Decode(new ulong[2], 3, 3));
        Assert.Throws<ArgumentException>(() => d.Decode([0, 1UL << 20, 0], 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Decode(new ulong[3], 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Decode(new ulong[3], 11, 11));
        Assert.Throws<ArgumentException>(() => d.Decode(new ulong[3], 2, 3)); // fewer units than survivors
        Assert.Throws<ArgumentException>(() => d.Decode(new ulong[3], (3UL * 2 << 16) + 1, 3)); // more than 3 x max weight
        Assert.Throws<ArgumentException>(() => d.Decode([new ulong[3]], 3));
    }

    [Fact]
    public void A_masked_round_with_dropouts_yields_the_survivors_average()
    {
        const int clients = 12;
        FloatEncodingParameters p = Parameters(10, clients, 32, clip: 1.0, maxWeight: 4);
        var encoder = new FloatUpdateEncoder(p);
        using var rng = new DeterministicRandomSource(9);
        var updates = new Dictionary<uint, double[]>();
        var encoded = new Dictionary<uint, EncodedUpdate>();
        for (uint id = 1; id <= clients; id++)
        {
            updates[id] = [.. Enumerable.Range(0, 10).Select(_ => rng.NextDouble() - 0.4)];
            encoded[id] = encoder.Encode(updates[id], 1 + (id % 4), rng);
        }
        var options = new SimulationOptions
        {
            Clients = clients,
            Vectors = p.Vectors(),
            Dropouts = new Dictionary<uint, ProtocolStage> { [3] = ProtocolStage.MaskedInputCollection, [7] = ProtocolStage.ShareKeys, [10] = ProtocolStage.Unmasking },
            Seed = 4,
            Inputs = id => [.. encoded[id].Vectors.Select(v => v.ToArray())], // the client wipes its input after masking
        };
        SimulationReport report = new RoundSimulator(options).Run();
        Assert.True(report.SumMatches);
        IReadOnlyList<uint> survivors = report.Result!.Survivors;
        Assert.DoesNotContain(3u, survivors);
        DecodedAverage avg = new FloatAverageDecoder(p).Decode(report.Result.Sums, survivors.Count);
        double[] plain = PlainAverage([.. survivors.Select(id => updates[id])], [.. survivors.Select(id => encoded[id].Weight)], 1.0);
        for (int i = 0; i < 10; i++)
        {
            Assert.InRange(avg.Average[i], plain[i] - avg.ErrorBound, plain[i] + avg.ErrorBound);
        }
    }
}
