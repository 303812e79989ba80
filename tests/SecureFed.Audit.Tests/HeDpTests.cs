using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Audit.Tests;

// HE transcripts carry the round's DP record like masking transcripts; audit verify recomputes epsilon from it.
public class HeDpTests
{
    private static readonly Lazy<(HeSampleRound Round, DistributedDpPlan Plan)> Instance = new(() =>
    {
        DistributedDpPlan plan = DistributedDpPlanner.Plan(new DistributedDpOptions
        {
            Epsilon = 2, Delta = 1e-5, ClipNorm = 1, ExpectedClients = 5, MinimumSurvivors = 3, Dimension = 20, Bits = 32,
        });
        return (new HeSampleRound(length: plan.PaddedDimension, bits: plan.Bits), plan);
    });

    private static double Accountant(DistributedDpPlan plan, int contributors)
    {
        var a = new DistributedDpAccountant(plan);
        a.RecordRound(contributors);
        return a.Spent().Epsilon;
    }

    private static HeTranscriptResult Claiming(HeTranscriptResult published, double epsilon) => new()
    {
        Completed = published.Completed, Sum = published.Sum, Contributors = published.Contributors, Attempts = published.Attempts,
        Check = published.Check, ExcludedDecryptors = published.ExcludedDecryptors, ClaimedEpsilon = epsilon,
    };

    [Fact]
    public void The_claimed_epsilon_is_recomputed_from_the_recorded_plan()
    {
        var (s, plan) = Instance.Value;
        double epsilon = Accountant(plan, s.Published.Contributors.Length);
        byte[] transcript = s.Write(s.Messages, Claiming(s.Published, epsilon), DpRoundRecord.From(plan));
        Checks.AssertStatus(TranscriptVerifier.Verify(transcript), "dp.accountant", AuditCheckStatus.Passed);
        Checks.AssertStatus(TranscriptVerifier.Verify(transcript), "he.configuration", AuditCheckStatus.Passed);
    }

    [Fact]
    public void A_wrong_claim_a_foreign_plan_or_a_claim_without_a_plan_fails()
    {
        var (s, plan) = Instance.Value;
        int contributors = s.Published.Contributors.Length;
        // Charged for more contributors than were decrypted: a smaller epsilon than spent.
        byte[] understated = s.Write(s.Messages, Claiming(s.Published, Accountant(plan, contributors + 1)), DpRoundRecord.From(plan));
        Checks.AssertStatus(TranscriptVerifier.Verify(understated), "dp.accountant", AuditCheckStatus.Failed);
        DpRoundRecord other = DpRoundRecord.From(plan);
        other.Dimension = plan.Dimension * 4; // pads to another vector length than the round's
        byte[] mismatched = s.Write(s.Messages, Claiming(s.Published, Accountant(plan, contributors)), other);
        Checks.AssertStatus(TranscriptVerifier.Verify(mismatched), "dp.accountant", AuditCheckStatus.Failed);
        byte[] unrecorded = s.Write(s.Messages, Claiming(s.Published, 1.0));
        Checks.AssertStatus(TranscriptVerifier.Verify(unrecorded), "dp.accountant", AuditCheckStatus.Failed);
    }
}
