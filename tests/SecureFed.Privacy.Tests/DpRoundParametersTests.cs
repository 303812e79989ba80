using MessagePack;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Parameters;
using SecureFed.Privacy.Pipeline;
using SecureFed.Privacy.Rounds;

namespace SecureFed.Privacy.Tests;

public class DpRoundParametersTests
{
    internal static DpRoundOptions Options(double? z = 1.0, double? epsilon = null) => new()
    {
        ClipNorm = 1.0,
        NoiseMultiplier = z,
        TargetEpsilon = epsilon,
        Delta = 1e-5,
        Dimension = 64,
        RosterSize = 50,
        MinimumSurvivors = 40,
    };

    private static ParameterOutOfRangeException Refused(DpRoundOptions o) => Assert.Throws<ParameterOutOfRangeException>(() => DpRoundParameters.Create(o));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-3.0)]
    [InlineData(double.NaN)]
    public void Epsilon_at_or_below_zero_is_refused_naming_the_field_and_range(double epsilon)
    {
        ParameterOutOfRangeException e = Refused(Options(z: null, epsilon: epsilon));
        Assert.Equal("TargetEpsilon", e.Field);
        Assert.Equal(ParameterRange.PositiveFinite, e.Allowed);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(-1e-9)]
    public void Delta_outside_the_open_unit_interval_is_refused(double delta)
    {
        ParameterOutOfRangeException e = Refused(Options() with { Delta = delta });
        Assert.Equal("Delta", e.Field);
        Assert.Equal(ParameterRange.OpenUnit, e.Allowed);
        Assert.Contains("Delta must be in (0, 1)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_bad_fields_are_named()
    {
        Assert.Equal("ClipNorm", Refused(Options() with { ClipNorm = 0 }).Field);
        Assert.Equal("ClipNorm", Refused(Options() with { ClipNorm = -1 }).Field);
        Assert.Equal("NoiseMultiplier", Refused(Options(z: 0)).Field);
        Assert.Equal("NoiseMultiplier", Refused(Options(z: null, epsilon: null)).Field);
        Assert.Equal("MinimumSurvivors", Refused(Options() with { MinimumSurvivors = 51 }).Field);
        Assert.Equal("RosterSize", Refused(Options() with { RosterSize = 0 }).Field);
        Assert.Equal("Dimension", Refused(Options() with { Dimension = 0 }).Field);
        Assert.Equal("SamplingRate", Refused(Options() with { SamplingRate = 0 }).Field);
        Assert.Equal("Bits", Refused(Options() with { Bits = 65 }).Field);
        Assert.Equal("Mechanism", Refused(Options() with { Mechanism = (DpMechanism)9 }).Field);
    }

    [Fact]
    public void Too_few_bits_for_the_roster_are_refused_naming_bits()
    {
        // 6 bits cannot hold the sum of 50 clients: 2^5 is below n.
        ParameterOutOfRangeException e = Refused(Options() with { Bits = 6 });
        Assert.Equal("Bits", e.Field);
        Assert.Null(e.Allowed);
        e = Refused(Options(z: null, epsilon: 1) with { Bits = 6 });
        Assert.Equal("Bits", e.Field);
        Assert.Contains("40 of 50 survivors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_noise_multiplier_that_cannot_reach_the_target_is_refused()
    {
        ParameterOutOfRangeException e = Refused(Options(z: 0.3, epsilon: 1.0));
        Assert.Equal("NoiseMultiplier", e.Field);
        Assert.Contains("above TargetEpsilon 1", e.Message, StringComparison.Ordinal);
        Assert.NotNull(DpRoundParameters.Create(Options(z: 8, epsilon: 1.0)));
    }

    [Fact]
    public void A_target_no_skellam_share_can_reach_is_refused_naming_the_target()
    {
        // Rounding alone gives a 2^16-dimensional update an L2 sensitivity of at least 128 units, and the Skellam
        // variance cap (2^16 per client, 10 clients) keeps the noise std dev below 810 units: epsilon 0.01 is out of reach.
        var o = new DpRoundOptions
        {
            Mechanism = DpMechanism.Skellam, ClipNorm = 1, TargetEpsilon = 0.01, Delta = 1e-5, Dimension = 1 << 16, RosterSize = 10,
        };
        ParameterOutOfRangeException e = Refused(o);
        Assert.Equal("TargetEpsilon", e.Field);
        Assert.Contains("no noise share reaches epsilon 0.01 with 10 of 10 survivors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_noise_multiplier_becomes_each_clients_share_of_the_central_noise()
    {
        DpRoundParameters p = DpRoundParameters.Create(Options(z: 1.0));
        Assert.Equal(40, p.MinimumSurvivors);
        Assert.InRange(p.NoiseMultiplier, 1.0, 1.0005); // variances round up to a dyadic rational
        Assert.True(double.IsNaN(p.Plan.TargetEpsilon));
        // The bits are chosen so that rounding costs at most 10% of the epsilon of a continuous Gaussian with z = 1.
        double ideal = SubsampledGaussianRdp.Epsilon(1, 1.0, 1, 1e-5).Epsilon;
        Assert.InRange(p.Plan.PlannedEpsilon, ideal * 0.9, ideal * 1.1);

        // 40 clients with zero updates: the decoded sum is their noise shares alone, std dev z c = 1 per coordinate.
        var seed = new byte[32];
        DpClientEncoder encoder = p.CreateClientEncoder(seed);
        var values = new List<double>();
        using var rng = new DeterministicRandomSource(11);
        for (int rep = 0; rep < 20; rep++)
        {
            var sum = new ulong[p.Plan.PaddedDimension];
            var word = new ulong[p.Plan.PaddedDimension];
            for (int u = 0; u < 40; u++)
            {
                encoder.Encode(new double[64], word, rng);
                DpServerDecoder.AccumulateModular(sum, word, p.Plan.Bits);
            }
            var estimate = new double[64];
            p.CreateServerDecoder(seed).Decode(sum, estimate);
            values.AddRange(estimate);
        }
        double variance = values.Sum(v => v * v) / values.Count;
        // 1280 samples: the sample variance has relative std dev sqrt(2/1280) = 4%; allow 5 of them.
        Assert.InRange(variance, 0.8, 1.2);
    }

    [Fact]
    public void A_target_epsilon_is_planned_and_the_worst_case_spends_at_most_it()
    {
        DpRoundParameters p = DpRoundParameters.Create(Options(z: null, epsilon: 2.0));
        double worst = RdpConversion.ToEpsilon(RdpOrders.Integer, p.WorstCaseRdp, 1e-5).Epsilon;
        Assert.InRange(worst, 1.5, 2.0);
        Assert.Equal(p.Plan.PlannedEpsilon, worst, 12);
        double allSurvive = RdpConversion.ToEpsilon(RdpOrders.Integer, p.RoundRdp(50), 1e-5).Epsilon;
        Assert.True(allSurvive < worst);
        Assert.Throws<ArgumentOutOfRangeException>(() => p.RoundRdp(51));
    }

    [Fact]
    public void The_wire_form_round_trips_to_the_same_plan()
    {
        DpRoundParameters p = DpRoundParameters.Create(Options(z: null, epsilon: 3.0) with { Mechanism = DpMechanism.Skellam });
        byte[] bytes = MessagePackSerializer.Serialize(p.ToConfiguration());
        Assert.Equal(0x9f, bytes[0]); // fixarray of 15 fields
        DpRoundParameters back = DpRoundParameters.Create(MessagePackSerializer.Deserialize<DpRoundConfiguration>(bytes));
        Assert.Equal(bytes, MessagePackSerializer.Serialize(back.ToConfiguration()));
        Assert.Equal(p.WorstCaseRdp, back.WorstCaseRdp);
        Assert.Equal(p.Plan.Scale, back.Plan.Scale);
    }

    [Fact]
    public void Bad_wire_plans_are_refused_naming_the_field()
    {
        DpRoundConfiguration Copy() => DpRoundParameters.Create(Options()).ToConfiguration();
        var c = Copy();
        c.Version = 2;
        Assert.Equal("Version", Assert.Throws<ParameterOutOfRangeException>(() => DpRoundParameters.Create(c)).Field);
        c = Copy();
        c.Scale = 0;
        Assert.Equal("Scale", Assert.Throws<ParameterOutOfRangeException>(() => DpRoundParameters.Create(c)).Field);
        c = Copy();
        c.MinimumSurvivors = c.ExpectedClients + 1;
        Assert.Equal("MinimumSurvivors", Assert.Throws<ParameterOutOfRangeException>(() => DpRoundParameters.Create(c)).Field);
        c = Copy();
        c.NoiseVarianceNumerator = 0;
        Assert.Equal("NoiseVarianceNumerator", Assert.Throws<ParameterOutOfRangeException>(() => DpRoundParameters.Create(c)).Field);
    }

    [Fact]
    public void Round_rdp_may_be_asked_from_many_threads()
    {
        DpRoundParameters shared = DpRoundParameters.Create(Options());
        DpRoundParameters reference = DpRoundParameters.Create(Options());
        var results = new IReadOnlyList<double>[400];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = shared.RoundRdp(1 + (i % 50)));
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(reference.RoundRdp(1 + (i % 50)), results[i]);
        }
    }
}
