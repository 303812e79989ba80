using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Tests;

// Issue 20, defect 2: a re-signed masking transcript holding one client's R0 envelope twice crashed the verifier
// (ArgumentException from a dictionary build) instead of failing. The aggregator holds the signing key, so it can
// produce such a transcript; the verifier must print a verdict.
public class DuplicateEnvelopeTests
{
    private static SampleRound R => SampleRound.Complete;

    private static List<RecordedMessage> WithCopiedEnvelope(ProtocolStage stage)
    {
        var messages = R.Messages.ToList();
        int i = messages.FindIndex(m => m.Kind == TranscriptRecordKind.ClientToServer &&
            MessageCodec.Decode<ClientEnvelope>(m.Bytes, int.MaxValue).Stage == stage);
        Assert.True(i >= 0);
        messages.Insert(i + 1, messages[i]);
        return messages;
    }

    [Theory]
    [InlineData(ProtocolStage.AdvertiseKeys)]
    [InlineData(ProtocolStage.ShareKeys)]
    [InlineData(ProtocolStage.ConsistencyCheck)]
    [InlineData(ProtocolStage.MaskedInputCollection)]
    public void A_transcript_holding_one_envelope_twice_fails_with_a_verdict(ProtocolStage stage)
    {
        using var keys = R.Keys();
        AuditVerification v = TranscriptVerifier.Verify(R.Write(WithCopiedEnvelope(stage), R.Result(), null), keys, SampleRound.AggregatorPublicKey);

        Checks.AssertStatus(v, "transcript.chain", AuditCheckStatus.Passed);
        Checks.AssertStatus(v, "transcript.signatures", AuditCheckStatus.Passed);
        Checks.AssertStatus(v, "protocol.envelopes", AuditCheckStatus.Failed);
        Assert.Contains("second stage", Checks.Get(v, "protocol.envelopes").Reason, StringComparison.Ordinal);
        Assert.False(v.Passed);
        Assert.DoesNotContain(v.Checks, c => c.Description == CheckGuard.StoppedDescription);
        using var text = new StringWriter();
        v.WriteText(text);
        Assert.Contains("FAIL protocol.envelopes", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_directory_check_names_the_second_advertisement()
    {
        AuditVerification v = TranscriptVerifier.Verify(R.Write(WithCopiedEnvelope(ProtocolStage.AdvertiseKeys), R.Result(), null));
        AuditCheck directory = Checks.Get(v, "protocol.key-directory");
        Assert.Equal(AuditCheckStatus.Failed, directory.Status);
        Assert.Contains("second advertisement", directory.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_check_that_throws_becomes_a_fail_with_its_reason()
    {
        AuditCheck c = CheckGuard.Run("protocol.example", () => throw new ArgumentException("an item with the same key has already been added"));
        Assert.Equal(AuditCheckStatus.Failed, c.Status);
        Assert.Equal("protocol.example", c.Id);
        Assert.Contains("ArgumentException", c.Reason, StringComparison.Ordinal);
        Assert.Contains("same key", c.Reason, StringComparison.Ordinal);

        var checks = new List<AuditCheck>();
        object? none = CheckGuard.Run<object>("keys.checks", checks, () => throw new KeyNotFoundException("client 7"));
        Assert.Null(none);
        Assert.Equal(AuditCheckStatus.Failed, Assert.Single(checks).Status);
    }
}
