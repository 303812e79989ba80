using SecureFed.Privacy.Accounting;

namespace SecureFed.Privacy.Tests;

public sealed class AccountantTests
{
    /// <summary>
    /// TF Privacy / dp_accounting rdp_privacy_accountant_test.py, test_compute_rdp_poisson_sampled_gaussian:
    /// q = 0.01, z = 2.5, 50 steps, orders [1.5, 2.5, 5, 50, 100] (fractional and integer orders), rtol 1e-4.
    /// </summary>
    [Fact]
    public void SubsampledGaussianMatchesTfPrivacyTestValues()
    {
        double[] orders = [1.5, 2.5, 5, 50, 100];
        double[] expected = [6.70579741e-04, 1.08548710e-03, 2.18075656e-03, 2.38460375e-02, 1.67416308e02];
        double[] rdp = SubsampledGaussianRdp.Compute(0.01, 2.5, 50, orders);
        for (int i = 0; i < orders.Length; i++)
        {
            Assert.True(Math.Abs(rdp[i] - expected[i]) <= 1e-4 * expected[i], $"order {orders[i]}: {rdp[i]} vs {expected[i]}");
        }
    }

    /// <summary>dp_accounting test_compute_epsilon_delta_pure_dp: constant RDP 1.1 on orders 2..32, delta 1e-5, improved conversion.</summary>
    [Fact]
    public void ImprovedConversionMatchesPureDpTestValue()
    {
        double[] orders = [.. Enumerable.Range(2, 31).Select(x => (double)x)];
        double[] rdp = [.. orders.Select(_ => 1.1)];
        var spent = RdpConversion.ToEpsilon(orders, rdp, 1e-5);
        Assert.Equal(1.32783806176, spent.Epsilon, 9);
        Assert.Equal(32, spent.OptimalOrder);
        Assert.Equal(EpsilonConversion.Improved, spent.Conversion);
        // Classic conversion at order 32: 1.1 + ln(1e5)/31.
        Assert.Equal(1.1 + (Math.Log(1e5) / 31), RdpConversion.ToEpsilon(orders, rdp, 1e-5, EpsilonConversion.Classic).Epsilon, 12);
    }

    /// <summary>
    /// dp_accounting test_compute_epsilon_delta_gaussian: the unsampled Gaussian with z = 4.530877117 is exactly
    /// (1, 1e-6)-DP; the improved conversion over orders 1.000 .. 99.999 (step 0.001) recovers epsilon = 1 to 7 places.
    /// </summary>
    [Fact]
    public void ImprovedConversionRecoversExactGaussianEpsilon()
    {
        double[] orders = [.. Enumerable.Range(1000, 99000).Select(i => 0.001 * i)];
        double[] rdp = [.. orders.Select(a => SubsampledGaussianRdp.Compute(1, 4.530877117, a))];
        var spent = RdpConversion.ToEpsilon(orders, rdp, 1e-6);
        Assert.True(Math.Abs(spent.Epsilon - 1) < 5e-8, $"eps {spent.Epsilon:R} at order {spent.OptimalOrder}");
    }

    /// <summary>
    /// TF Privacy tutorials/README.md ("Select Parameters" table, MNIST, N = 60000, batch 256, delta = 1e-5,
    /// steps = epochs·60000 // 256, orders 1.1..10.9, 12..63): eps 1.19 (z 1.3, 15 epochs), 3.01 (z 1.1, 60 epochs),
    /// 7.10 (z 0.7, 45 epochs). The table predates the improved conversion: the CLASSIC conversion reproduces all
    /// three to the printed two decimals; the improved conversion gives smaller figures.
    /// </summary>
    [Theory]
    [InlineData(1.3, 15, 1.19)]
    [InlineData(1.1, 60, 3.01)]
    [InlineData(0.7, 45, 7.10)]
    public void ClassicConversionReproducesTheMnistTutorialTable(double z, int epochs, double published)
    {
        long steps = epochs * 60000L / 256;
        var classic = SubsampledGaussianRdp.Epsilon(256 / 60000.0, z, steps, 1e-5, EpsilonConversion.Classic);
        var improved = SubsampledGaussianRdp.Epsilon(256 / 60000.0, z, steps, 1e-5, EpsilonConversion.Improved);
        Assert.True(Math.Abs(classic.Epsilon - published) < 0.005, $"classic {classic.Epsilon} (order {classic.OptimalOrder}) vs published {published}; improved {improved.Epsilon}");
        Assert.True(improved.Epsilon < classic.Epsilon);
    }

    /// <summary>
    /// Abadi et al. 2016 ("Deep Learning with Differential Privacy", Section 3.1): q = 0.01, sigma = 4, delta = 1e-5,
    /// T = 10000 steps gives (1.26, 1e-5)-DP with the moments accountant (vs 9.34 by the strong composition theorem).
    /// The moments accountant is RDP at integer orders with the classic conversion; the classic figure lands on 1.26
    /// within the paper's rounding, the improved one below it.
    /// </summary>
    [Fact]
    public void ReproducesAbadiMomentsAccountantExample()
    {
        double[] orders = [.. Enumerable.Range(2, 31).Select(x => (double)x)];
        var classic = SubsampledGaussianRdp.Epsilon(0.01, 4, 10000, 1e-5, EpsilonConversion.Classic, orders);
        var improved = SubsampledGaussianRdp.Epsilon(0.01, 4, 10000, 1e-5, EpsilonConversion.Improved, orders);
        Assert.True(Math.Abs(classic.Epsilon - 1.26) < 0.02, $"classic {classic.Epsilon} order {classic.OptimalOrder}; improved {improved.Epsilon}");
        Assert.True(improved.Epsilon < classic.Epsilon);
    }

    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047266)]
    [InlineData(3.0, 2.209049699858544e-05)]
    [InlineData(-1.0, 1.8427007929497148)]
    public void ErfcMatchesReferenceValues(double x, double expected)
    {
        Assert.True(Math.Abs(LogMath.Erfc(x) - expected) <= 1e-12 * expected, $"erfc({x}) = {LogMath.Erfc(x)}");
    }

    [Fact]
    public void LogErfcIsAccurateWhereErfcUnderflows()
    {
        // erfc(10) = 2.088487583762545e-45 and erfc(30) = 2.5646562037561116e-393 (the latter underflows a double).
        Assert.Equal(Math.Log(2.088487583762545e-45), LogMath.LogErfc(10), 9);
        Assert.Equal(Math.Log(2.5646562037561116) - (393 * Math.Log(10)), LogMath.LogErfc(30), 9);
    }

    [Theory]
    [InlineData(0.01, 1.1, 5)]
    [InlineData(0.2, 0.8, 12)]
    [InlineData(0.001, 3.0, 40)]
    public void FractionalOrderSeriesAgreesWithIntegerSumNearIntegers(double q, double z, int alpha)
    {
        double exact = SubsampledGaussianRdp.Compute(q, z, alpha);
        double below = SubsampledGaussianRdp.Compute(q, z, alpha - 1e-7);
        double above = SubsampledGaussianRdp.Compute(q, z, alpha + 1e-7);
        Assert.True(Math.Abs(below - exact) < 1e-5 * exact && Math.Abs(above - exact) < 1e-5 * exact, $"{below} {exact} {above}");
    }

    [Fact]
    public void DistributedDiscreteGaussianTauMatchesDefinition()
    {
        // Two clients, sigma^2 = 1: tau = 10 exp(-2 pi^2 · 1 · 1/2) = 10 e^{-pi^2}.
        Assert.Equal(10 * Math.Exp(-Math.PI * Math.PI), DistributedDiscreteGaussianRdp.Tau(1, 2), 15);
        Assert.Equal(0, DistributedDiscreteGaussianRdp.Tau(5, 1));
    }

    [Fact]
    public void DistributedDiscreteGaussianReducesToGaussianForLargeNoise()
    {
        // With sigma^2 = 100 per client, tau ~ 1e-856: the bound is a/2 · Delta2^2 / (m sigma^2), the Gaussian's.
        double l2 = 30;
        double rdp = DistributedDiscreteGaussianRdp.Compute(8, l2, l2 * l2, 100, 10, 1024);
        Assert.Equal(8 / 2.0 * l2 * l2 / (10 * 100), rdp, 12);
        // Small noise: tau inflates the bound.
        double small = DistributedDiscreteGaussianRdp.Compute(8, 1, 1, 0.05, 10, 1024);
        Assert.True(small > 8 / 2.0 / (10 * 0.05));
    }

    [Fact]
    public void SkellamApproachesGaussianForLargeVariance()
    {
        double l2 = 100, l1 = 1000, mu = 1e8;
        double rdp = SkellamRdp.Compute(16, l2, l1, mu);
        double gaussian = 16 * l2 * l2 / (2 * mu);
        Assert.True(rdp >= gaussian && rdp < gaussian * 1.001);
    }

    [Fact]
    public void SubsamplingNeverIncreasesRdp()
    {
        double[] full = DistributedDiscreteGaussianRdp.Compute(RdpOrders.Integer, 1.0, 1, 40, 400, 25, 20, 256);
        double[] sampled = DistributedDiscreteGaussianRdp.Compute(RdpOrders.Integer, 0.1, 1, 40, 400, 25, 20, 256);
        for (int i = 0; i < full.Length; i++)
        {
            Assert.True(sampled[i] <= full[i] + 1e-12);
        }
        Assert.True(sampled[0] < full[0] * 0.5);
    }

    [Fact]
    public void InvalidInputsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SubsampledGaussianRdp.Compute(1.5, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubsampledGaussianRdp.Compute(0.5, -1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubsampledGaussianRdp.Compute(0.5, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RdpConversion.ToEpsilon([2.0], [1.0], 0));
        Assert.Throws<ArgumentException>(() => RdpConversion.ToEpsilon([2.0, 3.0], [1.0], 1e-5));
        Assert.Throws<ArgumentException>(() => DistributedDiscreteGaussianRdp.Compute([2.5], 1, 1, 1, 1, 1, 2, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseCalibration.GaussianNoiseMultiplier(0, 1e-5, 1, 1));
    }

    [Fact]
    public void NoiseCalibrationInvertsTheAccountant()
    {
        double z = NoiseCalibration.GaussianNoiseMultiplier(3.01, 1e-5, 256 / 60000.0, 14062, EpsilonConversion.Classic);
        Assert.True(Math.Abs(z - 1.1) < 0.01, $"z = {z}");
        double eps = SubsampledGaussianRdp.Epsilon(256 / 60000.0, z, 14062, 1e-5, EpsilonConversion.Classic).Epsilon;
        Assert.True(eps <= 3.01 && eps > 3.0);
    }

    /// <summary>
    /// Cross-check against an independent transcription (Python, lgamma-based binomials, plain logsumexp) of the
    /// reference accounting in google-research/federated distributed_dp/accounting_utils.py (ddgauss_epsilon with
    /// compute_rdp_dgaussian, _compute_rdp_subsampled upper bound and tfp's improved get_privacy_spent), orders 2..128, 256.
    /// </summary>
    [Theory]
    [InlineData(20000.0, 100, 10372UL, 1024L, 1.0, 10, 0.9146298057188237, 19)]
    [InlineData(20000.0, 80, 10372UL, 1024L, 1.0, 10, 1.0328698857406908, 17)]
    [InlineData(5000.0, 50, 10372UL, 1024L, 0.05, 500, 2.3371988473676004, 7)]
    public void DistributedDiscreteGaussianMatchesReferenceTranscription(
        double variance, int survivors, ulong l2Squared, long dimension, double q, int steps, double epsilon, int order)
    {
        double l2 = Math.Sqrt(l2Squared);
        double l1 = l2 * Math.Min(Math.Sqrt(dimension), l2);
        double[] rdp = DistributedDiscreteGaussianRdp.Compute(RdpOrders.Integer, q, steps, l2, l1, variance, survivors, dimension);
        var spent = RdpConversion.ToEpsilon(RdpOrders.Integer, rdp, 1e-5);
        Assert.True(Math.Abs(spent.Epsilon - epsilon) < 1e-9 * epsilon, $"{spent.Epsilon:R} vs {epsilon:R}");
        Assert.Equal(order, spent.OptimalOrder);
    }

    /// <summary>The same independent transcription for the Skellam bound (skellam_epsilon in the same file).</summary>
    [Theory]
    [InlineData(50.0, 500.0, 10000.0, 1.0, 1, 2.1681368867839717, 10)]
    [InlineData(101.8, 3258.6, 2.0e5, 0.05, 3000, 5.782487702965122, 4)]
    public void SkellamMatchesReferenceTranscription(double l2, double l1, double mu, double q, int steps, double epsilon, int order)
    {
        double delta = q == 1 ? 1e-5 : 1e-6;
        var spent = RdpConversion.ToEpsilon(RdpOrders.Integer, SkellamRdp.Compute(RdpOrders.Integer, q, steps, l2, l1, mu), delta);
        Assert.True(Math.Abs(spent.Epsilon - epsilon) < 1e-9 * epsilon, $"{spent.Epsilon:R} vs {epsilon:R}");
        Assert.Equal(order, spent.OptimalOrder);
    }
}
