using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.HeProtocol.Messages;
using SecureFed.Protocol.Messages;

namespace SecureFed.Audit.Tests;

// A malicious aggregator doctors the HE transcript and re-signs it with its real key: the chain and its signatures
// hold, so each doctoring must be caught by the HE checks themselves.
public class HeTamperTests
{
    private static HeSampleRound S => HeSampleRound.Default;

    [Fact]
    public void A_flipped_byte_anywhere_is_caught()
    {
        byte[] honest = S.Transcript;
        // 24 positions spread over the file (header, key material, uploads, requests, shares, result, end).
        foreach (int position in Enumerable.Range(0, 24).Select(k => 8 + (int)((long)(honest.Length - 9) * k / 23)))
        {
            byte[] doctored = (byte[])honest.Clone();
            doctored[position] ^= 0x01;
            AuditVerification v = TranscriptVerifier.Verify(doctored);
            Assert.False(v.Passed, $"a flipped bit at byte {position} of {honest.Length} went unnoticed");
            Assert.Contains(v.Checks, c => c.Status == AuditCheckStatus.Failed && c.Id.StartsWith("transcript.", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_dropped_upload_with_the_sum_left_unchanged_is_caught_by_the_replay()
    {
        // Client 3 is removed everywhere the aggregator controls: its H2 record, the aggregate both requests open, and the
        // contributors; the decryption shares (signed by the decryptors) and the sum stay as they were.
        var messages = S.Messages.Where(m => !(m.Kind == TranscriptRecordKind.ClientToServer && m.Party == 3 && Stage(m) == HeStage.Upload))
            .Select(m => RewriteServer(m, msg =>
            {
                switch (msg)
                {
                    case DecryptionRequestMessage r:
                        r.Uploads = [.. r.Uploads.Where(u => u.ClientId != 3)];
                        break;
                    case HeRoundResult r:
                        r.Contributors = [.. r.Contributors.Where(id => id != 3)];
                        break;
                }
            })).ToList();
        var result = Copy(S.Published);
        result.Contributors = [.. result.Contributors.Where(id => id != 3)];
        AuditVerification v = TranscriptVerifier.Verify(S.Write(messages, result));
        Assert.False(v.Passed);
        Checks.AssertStatus(v, "transcript.signatures", AuditCheckStatus.Passed);
        Checks.AssertStatus(v, "he.replay", AuditCheckStatus.Failed);
    }

    [Fact]
    public void An_upload_left_out_of_the_aggregate_is_caught()
    {
        var messages = S.Messages.Select(m => RewriteServer(m, msg =>
        {
            if (msg is DecryptionRequestMessage r)
            {
                r.Uploads = [.. r.Uploads.Where(u => u.ClientId != 4)];
            }
        })).ToList();
        AuditVerification v = TranscriptVerifier.Verify(S.Write(messages, S.Published));
        Checks.AssertStatus(v, "he.decryption-requests", AuditCheckStatus.Failed);
        Checks.AssertStatus(v, "he.server-messages", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_second_request_over_a_different_aggregate_is_caught()
    {
        var messages = S.Messages.Select(m => RewriteServer(m, msg =>
        {
            if (msg is DecryptionRequestMessage { Attempt: 2 } r)
            {
                r.Uploads = [.. r.Uploads.Where(u => u.ClientId != 1)];
            }
        })).ToList();
        AuditVerification v = TranscriptVerifier.Verify(S.Write(messages, S.Published));
        AuditCheck c = Checks.Get(v, "he.decryption-requests");
        Assert.Equal(AuditCheckStatus.Failed, c.Status);
        Assert.Contains("different upload list", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_commitment_in_the_request_is_caught()
    {
        var messages = S.Messages.Select(m => RewriteServer(m, msg =>
        {
            if (msg is DecryptionRequestMessage r)
            {
                OpenedUpload u = r.Uploads.Single(x => x.ClientId == 2);
                u.Commitment = (byte[])u.Commitment.Clone();
                u.Commitment[0] ^= 0xFF;
            }
        })).ToList();
        AuditVerification v = TranscriptVerifier.Verify(S.Write(messages, S.Published));
        AuditCheck c = Checks.Get(v, "he.decryption-requests");
        Assert.Equal(AuditCheckStatus.Failed, c.Status);
        Assert.Contains("client 2", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_upload_that_does_not_open_its_commitment_is_caught()
    {
        // Client 1 (whose key the test holds) sends a ciphertext with a commitment to another one, validly signed.
        var messages = S.Messages.Select(m =>
        {
            if (m.Kind != TranscriptRecordKind.ClientToServer || m.Party != 1 || Stage(m) != HeStage.Upload)
            {
                return m;
            }
            var envelope = MessageCodec.Decode<HeEnvelope>(m.Bytes, m.Bytes.Length);
            var body = MessageCodec.Decode<ClientUpload>(envelope.Body, envelope.Body.Length);
            body.Upload[^1] ^= 0x01;
            byte[] bytes = MessageCodec.Encode(HeEnvelopeSigning.Seal(S.Parameters, S.Identity(1), 1, HeStage.Upload, MessageCodec.Encode(body)));
            return m with { Bytes = bytes };
        }).ToList();
        AuditVerification v = TranscriptVerifier.Verify(S.Write(messages, S.Published));
        Checks.AssertStatus(v, "he.envelopes", AuditCheckStatus.Passed);
        Checks.AssertStatus(v, "he.commitments", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_collective_key_without_a_decryptor_that_dealt_shares_is_caught()
    {
        var messages = S.Messages.Select(m => RewriteServer(m, msg =>
        {
            if (msg is CollectiveKeyAnnouncement a)
            {
                a.Advertisements = [.. a.Advertisements.Where(e => e.SenderId != 3)];
            }
        })).ToList();
        AuditVerification v = TranscriptVerifier.Verify(S.Write(messages, S.Published));
        Checks.AssertStatus(v, "he.collective-key", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_published_sum_that_is_not_the_decryption_is_caught()
    {
        var result = Copy(S.Published);
        result.Sum = (byte[])result.Sum.Clone();
        result.Sum[0] ^= 0x01;
        AuditVerification v = TranscriptVerifier.Verify(S.Write(S.Messages, result));
        Checks.AssertStatus(v, "he.replay", AuditCheckStatus.Failed);
        Checks.AssertStatus(v, "he.contributors", AuditCheckStatus.Failed);
    }

    private static HeStage? Stage(RecordedMessage m) => MessageCodec.Decode<HeEnvelope>(m.Bytes, m.Bytes.Length).Stage;

    private static RecordedMessage RewriteServer(RecordedMessage m, Action<HeServerMessage> edit)
    {
        if (m.Kind != TranscriptRecordKind.ServerToClient)
        {
            return m;
        }
        HeServerMessage message = MessageCodec.Decode<HeServerMessage>(m.Bytes, m.Bytes.Length);
        edit(message);
        return m with { Bytes = MessageCodec.Encode<HeServerMessage>(message) };
    }

    private static HeTranscriptResult Copy(HeTranscriptResult r) => MessageCodec.Decode<HeTranscriptResult>(MessageCodec.Encode(r), int.MaxValue);
}
