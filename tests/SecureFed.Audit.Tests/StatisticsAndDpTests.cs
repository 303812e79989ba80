using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Audit.Tests;

public class StatisticsAndDpTests
{
    [Fact]
    public void Chi_square_accepts_uniform_words_and_rejects_skewed_ones()
    {
        using var r = new DeterministicRandomSource(11);
        ulong[] uniform = [.. Enumerable.Range(0, 20_000).Select(_ => r.NextUInt64() >> 32)];
        Assert.True(ChiSquareUniformity.Test(uniform, 32).LooksUniform);
        // Half the words forced into the low half of the range: plainly not uniform.
        ulong[] skewed = [.. uniform.Select((w, i) => i % 2 == 0 ? w >> 1 : w)];
        ChiSquareResult s = ChiSquareUniformity.Test(skewed, 32);
        Assert.True(s.Enough);
        Assert.False(s.LooksUniform, s.Describe());
        Assert.False(ChiSquareUniformity.Test(uniform.Take(100), 32).Enough);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.6448536269514722, 0.05)]
    [InlineData(3.090232306167813, 0.001)]
    [InlineData(-1.959963984540054, 0.975)]
    public void The_normal_tail_matches_known_quantiles(double z, double p) =>
        Assert.Equal(p, ChiSquareUniformity.UpperNormalTail(z), 6);

    [Fact]
    public void Uniform_plain_inputs_fail_the_power_check()
    {
        SampleRound round = SampleRound.UniformInputs;
        using var keys = round.Keys();
        AuditVerification v = TranscriptVerifier.Verify(round.Transcript, keys);
        Checks.AssertStatus(v, "uniformity.plain-inputs", AuditCheckStatus.Failed);
        Checks.AssertStatus(v, "keys.masked-inputs", AuditCheckStatus.Passed);
    }

    [Fact]
    public void An_honest_dp_claim_matches_the_accountant()
    {
        int survivors = DpRound.Round.Report.Result!.Survivors.Count;
        using var keys = DpRound.Round.Keys();
        AuditVerification v = TranscriptVerifier.Verify(DpRound.Transcript(DpRound.AccountantEpsilon(survivors)), keys);
        Checks.AssertAllPassed(v);
        Checks.AssertStatus(v, "dp.accountant", AuditCheckStatus.Passed);
    }

    [Fact]
    public void An_understated_epsilon_is_caught()
    {
        int survivors = DpRound.Round.Report.Result!.Survivors.Count;
        AuditVerification v = TranscriptVerifier.Verify(DpRound.Transcript(DpRound.AccountantEpsilon(survivors) * 0.9));
        Checks.AssertStatus(v, "dp.accountant", AuditCheckStatus.Failed);
    }

    [Fact]
    public void Noise_parameters_that_do_not_fit_the_round_are_caught()
    {
        int survivors = DpRound.Round.Report.Result!.Survivors.Count;
        DpRoundRecord record = DpRoundRecord.From(DpRound.Plan);
        record.Bits += 1;
        Checks.AssertStatus(TranscriptVerifier.Verify(DpRound.Transcript(DpRound.AccountantEpsilon(survivors), record)), "dp.accountant", AuditCheckStatus.Failed);
        record = DpRoundRecord.From(DpRound.Plan);
        record.NoiseVarianceNumerator = 0;
        Checks.AssertStatus(TranscriptVerifier.Verify(DpRound.Transcript(DpRound.AccountantEpsilon(survivors), record)), "dp.accountant", AuditCheckStatus.Failed);
    }

    [Fact]
    public void An_epsilon_claimed_without_dp_parameters_is_caught()
    {
        TranscriptResult result = SampleRound.Complete.Result();
        result.ClaimedEpsilon = 1;
        Checks.AssertStatus(TranscriptVerifier.Verify(SampleRound.Complete.Write(SampleRound.Complete.Messages, result, null)), "dp.accountant", AuditCheckStatus.Failed);
    }
}
