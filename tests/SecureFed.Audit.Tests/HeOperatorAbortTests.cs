using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.HeProtocol.Messages;

namespace SecureFed.Audit.Tests;

// An operator may abort a running HE round: the log then stops mid-round, which the replay must accept as such, but
// it must not let an aggregator relabel a round the rules had already ended.
public class HeOperatorAbortTests
{
    private static HeSampleRound S => HeSampleRound.Default;

    private static HeTranscriptResult OperatorAbort(int attempts) => new()
    {
        Completed = false,
        AbortReason = (int)HeAbortReason.OperatorAborted,
        AbortDetail = "aborted by the operator",
        Sum = [],
        Contributors = [],
        Attempts = attempts,
    };

    [Fact]
    public void A_round_the_operator_aborted_in_H2_replays_up_to_the_abort()
    {
        // Keep everything up to (and including the messages of) the second close: H0 and H1 done, uploads arriving.
        int closes = 0;
        var messages = S.Messages.TakeWhile(m => m.Kind != TranscriptRecordKind.StageClosed || ++closes <= 2).ToList();
        AuditVerification v = TranscriptVerifier.Verify(S.Write(messages, OperatorAbort(0)));
        Checks.AssertStatus(v, "he.replay", AuditCheckStatus.Passed);
    }

    [Fact]
    public void A_completed_round_relabelled_as_an_operator_abort_is_caught()
    {
        AuditVerification v = TranscriptVerifier.Verify(S.Write(S.Messages, OperatorAbort(S.Published.Attempts)));
        Checks.AssertStatus(v, "he.replay", AuditCheckStatus.Failed);
    }
}
