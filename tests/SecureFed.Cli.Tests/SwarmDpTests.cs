using SecureFed.Cli.Commands;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Tests;

/// <summary>`securefed swarm --dp-epsilon`: the verdicts a DP round's noisy average and its ledger allow.</summary>
public class SwarmDpTests
{
    private const string Round = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void An_average_within_the_noise_passes_and_one_off_by_a_wrapped_sum_does_not()
    {
        double[] sum = [1.0, -2.0, 0.5, 3.0];
        // Survivors 4: the true average is sum / 4; the noise's standard deviation 0.01, scale 1e6.
        double[] noisy = [.. sum.Select((v, i) => v / 4 + (i % 2 == 0 ? 0.01 : -0.01))];
        Assert.True(SwarmDp.AverageWithinNoise(noisy, sum, 4, 0.01, 1e6));
        double[] wrong = [.. noisy];
        wrong[2] += 1000; // what a sum wrapped mod 2^B decodes to
        Assert.False(SwarmDp.AverageWithinNoise(wrong, sum, 4, 0.01, 1e6));
        Assert.False(SwarmDp.AverageWithinNoise(noisy, sum, 3, 0.01, 1e6)); // a survivor missing from the sum
        Assert.False(SwarmDp.AverageWithinNoise(noisy[..3], sum, 4, 0.01, 1e6));
    }

    [Fact]
    public void The_ledger_matches_only_with_exactly_one_charge_for_the_round_equal_to_the_charged_epsilon()
    {
        var charged = new RoundEncodingStatus { Kind = "dp", RoundEpsilon = 1.5, RoundEpsilonCharged = true };
        PrivacyLedgerLine Charge(string round, double eps) => new() { Kind = SwarmDp.RoundCharged, RoundId = round, RoundEpsilon = eps };
        var budget = new PrivacyLedgerLine { Kind = "budget-set" };

        Assert.Equal((1, true), SwarmDp.CheckLedger(Ledger(budget, Charge(Round.ToUpperInvariant(), 1.5)), Round, charged));
        Assert.Equal((2, false), SwarmDp.CheckLedger(Ledger(budget, Charge(Round, 1.5), Charge(Round, 1.5)), Round, charged));
        Assert.Equal((0, false), SwarmDp.CheckLedger(Ledger(budget, Charge("ff" + Round[2..], 1.5)), Round, charged));
        Assert.Equal((1, false), SwarmDp.CheckLedger(Ledger(budget, Charge(Round, 2.0)), Round, charged));
        var running = new RoundEncodingStatus { Kind = "dp", RoundEpsilon = 1.5, RoundEpsilonCharged = false };
        Assert.Equal((1, false), SwarmDp.CheckLedger(Ledger(budget, Charge(Round, 1.5)), Round, running));
    }

    [Fact]
    public void A_dp_round_request_carries_the_float_encoding_and_the_target_and_drops_the_integer_shape()
    {
        var masking = new OpenRoundRequest { Federation = "f", Vectors = [new VectorRequest { Length = 8, Bits = 32 }] };
        new SwarmDp(2, 8).Apply(masking);
        Assert.Empty(masking.Vectors);
        Assert.Equal(8, masking.Float!.Length);
        Assert.Equal(2, masking.Dp!.TargetEpsilon);
        var he = new OpenRoundRequest { Federation = "f", Scheme = "he", He = new HeRoundRequest { VectorLength = 8, InputRange = 100 } };
        new SwarmDp(2, 8).Apply(he);
        Assert.Equal(0, he.He!.VectorLength);
        Assert.Null(he.He.InputRange);
        double[] update = new SwarmDp(2, 8).Input(7, 3);
        Assert.True(Math.Sqrt(update.Sum(v => v * v)) <= 0.5);
    }

    private static PrivacyLedgerView Ledger(params PrivacyLedgerLine[] entries) => new() { Federation = "f", Entries = [.. entries] };
}
