using FsCheck;
using FsCheck.Xunit;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;
using SecureFed.Privacy.Sampling;

namespace SecureFed.Privacy.Tests;

public sealed class PipelineTests
{
    private static readonly byte[] Seed = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private static DistributedDpOptions Options(int dimension = 100, int clients = 10, int? bits = null) => new()
    {
        Epsilon = 2,
        Delta = 1e-5,
        ClipNorm = 1,
        ExpectedClients = clients,
        Dimension = dimension,
        Bits = bits,
    };

    [Property(MaxTest = 40)]
    public bool RotationIsOrthogonalAndInvertible(PositiveInt logSize, int seed)
    {
        int d = 1 << (logSize.Get % 11);
        var rng = new Random(seed);
        double[] x = [.. Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5)];
        double[] y = (double[])x.Clone();
        byte[] roundSeed = new byte[32];
        rng.NextBytes(roundSeed);
        double[] signs = RandomizedHadamard.DeriveSigns(roundSeed, d);
        RandomizedHadamard.Forward(y, signs);
        double normX = Math.Sqrt(x.Sum(v => v * v));
        double normY = Math.Sqrt(y.Sum(v => v * v));
        RandomizedHadamard.Inverse(y, signs);
        return Math.Abs(normX - normY) < 1e-9 * (1 + normX) && x.Zip(y).All(p => Math.Abs(p.First - p.Second) < 1e-12);
    }

    [Fact]
    public void RotationSpreadsASpike()
    {
        double[] x = new double[1024];
        x[3] = 1;
        RandomizedHadamard.Forward(x, RandomizedHadamard.DeriveSigns(Seed, 1024));
        Assert.All(x, v => Assert.Equal(1 / 32.0, Math.Abs(v), 12));
    }

    [Fact]
    public void SignsDependOnTheSeedAndAreBalanced()
    {
        double[] a = RandomizedHadamard.DeriveSigns(Seed, 4096);
        byte[] other = (byte[])Seed.Clone();
        other[0] ^= 1;
        double[] b = RandomizedHadamard.DeriveSigns(other, 4096);
        Assert.NotEqual(a, b);
        Assert.InRange(a.Count(s => s < 0), 1848, 2248); // 4096/2 ± 6.25 sd
        Assert.Throws<ArgumentException>(() => RandomizedHadamard.DeriveSigns(new byte[31], 8));
    }

    [Property(MaxTest = 30)]
    public bool RoundingBoundAlwaysHolds(PositiveInt size, int seed, PositiveInt scale)
    {
        int d = 1 << (size.Get % 8);
        var rng = new Random(seed);
        double norm = scale.Get % 50 + 0.5;
        double[] x = [.. Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5)];
        double s = norm / Math.Sqrt(x.Sum(v => v * v));
        for (int i = 0; i < d; i++)
        {
            x[i] *= s;
        }
        ulong bound = RoundedNormBound.IntegerSquared(norm, Math.Exp(-0.5), d);
        using var source = new DeterministicRandomSource(seed);
        using var buffer = new RandomWordBuffer(source);
        long[] z = new long[d];
        int attempts = ConditionalRounding.Round(x, z, bound, 1000, buffer);
        ulong sq = 0;
        foreach (long v in z)
        {
            sq += (ulong)(v * v);
        }
        return sq <= bound && attempts >= 1 && z.Zip(x).All(p => Math.Abs(p.First - p.Second) < 1);
    }

    [Fact]
    public void RoundingGivesUpWithATypedError()
    {
        using var source = new DeterministicRandomSource(1);
        using var buffer = new RandomWordBuffer(source);
        double[] x = [0.5, 0.5, 0.5, 0.5];
        // Bound 0 is met only when all four round down (1/16 per attempt): 3 attempts fail with probability 0.82.
        var e = Record.Exception(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                ConditionalRounding.Round(x, new long[4], 0, 3, buffer);
            }
        });
        Assert.IsType<DpRoundingException>(e);
    }

    [Fact]
    public void PlannerMeetsItsTargets()
    {
        var plan = DistributedDpPlanner.Plan(Options());
        Assert.True(plan.PlannedEpsilon <= 2, $"planned {plan.PlannedEpsilon}");
        Assert.True(plan.PlannedEpsilon > 1.9, $"planned {plan.PlannedEpsilon} wastes budget");
        Assert.True(plan.WrapAroundProbabilityBound <= 1e-4);
        Assert.Equal(128, plan.PaddedDimension);
        Assert.InRange(plan.Bits, 5, 40);
        // Within 10% MSE of the continuous Gaussian that meets the same target.
        double ideal = DistributedDpPlanner.IdealCentralStdDev(Options());
        Assert.True(DistributedDpPlanner.MseOverhead(plan, 10, ideal) <= 1.10);
    }

    [Theory]
    [InlineData(DpMechanism.DiscreteGaussian)]
    [InlineData(DpMechanism.Skellam)]
    public void PlannerHandlesSamplingAndComposition(DpMechanism mechanism)
    {
        var options = Options(dimension: 300, clients: 20) with { Mechanism = mechanism, SamplingRate = 0.1, Rounds = 50, Epsilon = 3 };
        var plan = DistributedDpPlanner.Plan(options);
        Assert.Equal(mechanism, plan.Mechanism);
        Assert.True(plan.PlannedEpsilon <= 3 && plan.PlannedEpsilon > 2.9, $"{plan.PlannedEpsilon}");
        Assert.True(plan.WrapAroundProbabilityBound <= 1e-4);
        // Subsampling amplification: the same plan without sampling spends more.
        var unsampled = DistributedDpPlan.Create(
            plan.Mechanism, plan.Dimension, plan.ClipNorm, plan.Scale, plan.Bits, plan.NoiseVarianceNumerator,
            plan.NoiseVarianceDenominator, plan.ExpectedClients, plan.MinimumSurvivors, plan.Delta, plan.RoundingBeta, plan.Rounds, 1.0);
        Assert.True(unsampled.PlannedEpsilon > plan.PlannedEpsilon);
    }

    [Fact]
    public void NoiseSizedForSurvivorsHoldsWhateverTheDropouts()
    {
        var all = DistributedDpPlanner.Plan(Options(bits: 20));
        var tolerant = DistributedDpPlanner.Plan(Options(bits: 20) with { MinimumSurvivors = 6 });
        Assert.True(tolerant.PerClientNoiseVariance * tolerant.Scale * tolerant.Scale > all.PerClientNoiseVariance * all.Scale * all.Scale);
        // With only 6 of 10 survivors the tolerant plan still meets epsilon 2; the plain plan does not.
        Assert.True(DistributedDpAccountant.Project(tolerant, 6, 1).Epsilon <= 2);
        Assert.True(DistributedDpAccountant.Project(all, 6, 1).Epsilon > 2);
    }

    [Fact]
    public void AccountantChargesActualSurvivorsAndComposes()
    {
        var plan = DistributedDpPlanner.Plan(Options(bits: 24) with { Rounds = 5, MinimumSurvivors = 8 });
        var accountant = new DistributedDpAccountant(plan);
        Assert.Equal(0, accountant.Spent().Epsilon);
        accountant.RecordRound(10);
        double afterOne = accountant.Spent().Epsilon;
        accountant.RecordRound(8);
        accountant.RecordRound(8);
        accountant.RecordRound(9);
        accountant.RecordRound(8);
        var spent = accountant.Spent();
        Assert.Equal(EpsilonConversion.Improved, spent.Conversion);
        Assert.True(spent.Epsilon > afterOne);
        Assert.True(spent.Epsilon <= 2 + 1e-9, $"{spent.Epsilon}");
        Assert.True(DistributedDpAccountant.Project(plan, 10, 5).Epsilon < spent.Epsilon);
        Assert.True(accountant.Spent(EpsilonConversion.Classic).Epsilon > spent.Epsilon);
    }

    [Theory]
    [InlineData(DpMechanism.DiscreteGaussian, 16)]
    [InlineData(DpMechanism.DiscreteGaussian, 64)]
    [InlineData(DpMechanism.Skellam, 10)] // few bits keep the Skellam variance (and its linear sampling cost) small
    public void EndToEndEstimateIsUnbiased(DpMechanism mechanism, int bits)
    {
        const int clients = 5, dimension = 12, runs = 300;
        var options = new DistributedDpOptions
        {
            Epsilon = 4, Delta = 1e-5, ClipNorm = 2, ExpectedClients = clients, Dimension = dimension, Bits = bits, Mechanism = mechanism,
        };
        var plan = DistributedDpPlanner.Plan(options);
        var rng = new Random(11);
        double[][] updates = [.. Enumerable.Range(0, clients).Select(_ => Enumerable.Range(0, dimension).Select(_ => rng.NextDouble() - 0.3).ToArray())];
        double[] trueSum = new double[dimension];
        var clippedUpdate = new double[dimension];
        foreach (var u in updates)
        {
            L2Clipping.ClipInto(u, 2, clippedUpdate);
            Assert.True(Math.Sqrt(clippedUpdate.Sum(v => v * v)) <= 2 + 1e-12);
            for (int i = 0; i < dimension; i++)
            {
                trueSum[i] += clippedUpdate[i];
            }
        }
        double[] meanError = new double[dimension];
        double sumSquaredError = 0;
        using var random = new DeterministicRandomSource(12);
        var encoded = new ulong[plan.PaddedDimension];
        var estimate = new double[dimension];
        for (int run = 0; run < runs; run++)
        {
            byte[] seed = new byte[32];
            random.Fill(seed);
            var encoder = new DpClientEncoder(plan, seed);
            var sum = new ulong[plan.PaddedDimension];
            foreach (var u in updates)
            {
                encoder.Encode(u, encoded, random);
                Assert.All(encoded, w => Assert.True(bits == 64 || w < 1UL << bits));
                DpServerDecoder.AccumulateModular(sum, encoded, bits);
            }
            new DpServerDecoder(plan, seed).Decode(sum, estimate);
            for (int i = 0; i < dimension; i++)
            {
                meanError[i] += (estimate[i] - trueSum[i]) / runs;
                sumSquaredError += (estimate[i] - trueSum[i]) * (estimate[i] - trueSum[i]);
            }
        }
        double mse = sumSquaredError / (runs * dimension);
        // The noise dominates the error: the empirical MSE matches noise plus rounding variance within 20%.
        double predicted = plan.Scale * plan.Scale * clients * (plan.PerClientNoiseVariance + (1.0 / 6));
        Assert.InRange(mse, 0.7 * predicted, 1.2 * predicted);
        double standardError = Math.Sqrt(mse / runs);
        Assert.All(meanError, e => Assert.True(Math.Abs(e) < 4.5 * standardError, $"bias {e} vs se {standardError}"));
    }

    [Fact]
    public void ClippingIsReported()
    {
        var plan = DistributedDpPlanner.Plan(Options(dimension: 4, bits: 24));
        var encoder = new DpClientEncoder(plan, Seed);
        using var random = new DeterministicRandomSource(3);
        var output = new ulong[4];
        Assert.True(encoder.Encode([3, 4, 0, 0], output, random).Clipped);
        var small = encoder.Encode([0.3, 0.4, 0, 0], output, random);
        Assert.False(small.Clipped);
        Assert.Equal(0.5, small.OriginalNorm, 12);
    }

    [Fact]
    public void BadInputsGetTypedErrors()
    {
        var plan = DistributedDpPlanner.Plan(Options(dimension: 5, bits: 20));
        var encoder = new DpClientEncoder(plan, Seed);
        using var random = new DeterministicRandomSource(3);
        Assert.Throws<ArgumentException>(() => encoder.Encode(new double[4], new ulong[8], random));
        Assert.Throws<ArgumentException>(() => encoder.Encode(new double[5], new ulong[5], random));
        Assert.Throws<ArgumentException>(() => encoder.Encode([1, double.NaN, 0, 0, 0], new ulong[8], random));
        Assert.Throws<ArgumentException>(() => new DpClientEncoder(plan, new byte[16]));
        var decoder = new DpServerDecoder(plan, Seed);
        Assert.Throws<ArgumentException>(() => decoder.Decode(new ulong[8] { 1UL << 20, 0, 0, 0, 0, 0, 0, 0 }, new double[5]));
        Assert.Throws<ArgumentException>(() => decoder.Decode(new ulong[7], new double[5]));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DistributedDpPlanner.Plan(Options() with { Delta = 0 }));
        Assert.Equal("Delta", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => DistributedDpPlanner.Plan(Options() with { MinimumSurvivors = 11 }));
        Assert.Equal("MinimumSurvivors", e.ParamName);
        Assert.Throws<DpPlanningException>(() => DistributedDpPlanner.Plan(Options(bits: 4)));
    }

    [Fact]
    public void CentredDecodingHandlesEveryWidth()
    {
        foreach (int bits in new[] { 2, 8, 63, 64 })
        {
            var plan = DistributedDpPlan.Create(DpMechanism.DiscreteGaussian, 1, 1, 1, bits, 1, 1, 1, 1, 1e-5);
            var decoder = new DpServerDecoder(plan, Seed);
            double[] estimate = new double[1];
            ulong minusOne = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            // d = 1: the rotation is the sign s_0, so the estimate is s_0 · centred · gamma.
            double sign = RandomizedHadamard.DeriveSigns(Seed, 1)[0];
            decoder.Decode([minusOne], estimate);
            Assert.Equal(-sign, estimate[0]);
            decoder.Decode([1UL << (bits - 1)], estimate);
            Assert.Equal(-sign * Math.Pow(2, bits - 1), estimate[0]);
        }
    }
}
