using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Pipeline;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;
using SecureFed.Protocol.Updates;

namespace SecureFed.Protocol.Tests;

public class RoundUpdateEncodingTests
{
    private const int Clients = 20;
    private const int Length = 10;

    private static readonly Dictionary<uint, ProtocolStage> Dropouts = new()
    {
        [2] = ProtocolStage.ShareKeys,
        [5] = ProtocolStage.MaskedInputCollection,
        [11] = ProtocolStage.Unmasking,
    };

    private static IRoundUpdateEncoding Plain() => new PlainUpdateEncoding(FloatEncodingParameters.Create(
        new FloatEncodingOptions { Length = Length, ClipNorm = 1, Clients = Clients, Bits = 32 }));

    private static IRoundUpdateEncoding Dp() => new DpUpdateEncoding(DpRoundParameters.Create(new DpRoundOptions
    {
        ClipNorm = 1, NoiseMultiplier = 0.5, Delta = 1e-5, Dimension = Length, RosterSize = Clients, MinimumSurvivors = 15,
    }), new byte[32]);

    // One masked round through the interface: every client encodes its float update, the survivors' sums are decoded.
    private static (DecodedAverage Average, double[] Plain) Run(IRoundUpdateEncoding encoding, long seed)
    {
        using var rng = new DeterministicRandomSource(seed);
        var updates = new Dictionary<uint, float[]>();
        var encoded = new Dictionary<uint, EncodedUpdate>();
        for (uint id = 1; id <= Clients; id++)
        {
            updates[id] = [.. Enumerable.Range(0, Length).Select(_ => (float)((rng.NextDouble() - 0.3) * 0.8))];
            encoded[id] = encoding.Encode(updates[id], 1, rng);
        }
        SimulationReport report = new RoundSimulator(new SimulationOptions
        {
            Clients = Clients,
            Vectors = encoding.Vectors(),
            Dropouts = Dropouts,
            Seed = seed,
            Inputs = id => [.. encoded[id].Vectors.Select(v => v.ToArray())],
        }).Run();
        Assert.True(report.SumMatches);
        IReadOnlyList<uint> survivors = report.Result!.Survivors;
        var plain = new double[Length];
        var clipped = new double[Length];
        foreach (uint id in survivors)
        {
            L2Clipping.ClipInto([.. updates[id].Select(v => (double)v)], 1, clipped);
            for (int i = 0; i < Length; i++)
            {
                plain[i] += clipped[i] / survivors.Count;
            }
        }
        return (encoding.Decode(report.Result.Sums, survivors.Count), plain);
    }

    [Fact]
    public void A_plain_round_through_the_interface_gives_the_average_within_its_bound()
    {
        (DecodedAverage avg, double[] plain) = Run(Plain(), 3);
        Assert.Equal(Clients - 2, avg.Survivors);
        Assert.Equal(Clients - 2, avg.WeightSum);
        Assert.Equal(0, avg.NoiseStdDev);
        for (int i = 0; i < Length; i++)
        {
            Assert.InRange(avg.Average[i], plain[i] - avg.ErrorBound, plain[i] + avg.ErrorBound);
        }
    }

    [Fact]
    public void A_dp_round_through_the_interface_gives_a_noisy_average_centred_on_the_plain_one()
    {
        (DecodedAverage avg, double[] plain) = Run(Dp(), 4);
        Assert.Equal(Clients - 2, avg.Survivors);
        Assert.Equal(double.PositiveInfinity, avg.ErrorBound);
        // 18 survivors x noise multiplier 0.5 sized for 15: std dev of the average about 0.5 x sqrt(18/15) / 18 = 0.03.
        Assert.InRange(avg.NoiseStdDev, 0.025, 0.04);
        double squares = 0;
        for (int i = 0; i < Length; i++)
        {
            Assert.InRange(avg.Average[i], plain[i] - 6 * avg.NoiseStdDev, plain[i] + 6 * avg.NoiseStdDev);
            squares += (avg.Average[i] - plain[i]) * (avg.Average[i] - plain[i]);
        }
        Assert.True(squares > 0, "a DP average carries noise");
    }

    [Fact]
    public void The_dp_encoding_refuses_bad_input_before_encoding()
    {
        IRoundUpdateEncoding dp = Dp();
        var rng = SystemRandomSource.Instance;
        var e = Assert.Throws<ArgumentException>(() => dp.Encode([0f, 0f, 0f, 0f, float.NaN, 0f, 0f, 0f, 0f, 0f], 1, rng));
        Assert.Contains("update[4] is NaN", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => dp.Encode(new double[9], 1, rng));
        Assert.Contains("10 coordinates, got 9", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => dp.Encode(new double[10], 2, rng));
        Assert.Throws<ArgumentException>(() => dp.Decode([new ulong[16], new ulong[1]], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => dp.Decode([new ulong[16]], 21));
        Assert.Equal([(16, ((DpUpdateEncoding)dp).Parameters.Plan.Bits)], dp.Vectors().Select(v => (v.Length, v.Bits)));
        Assert.True(dp.Encode(new double[] { 3, 4, 0, 0, 0, 0, 0, 0, 0, 0 }, 1, rng).Clipped);
    }
}
