using SecureFed.Transcripts;
using SecureFed.Audit.Verification;

namespace SecureFed.Audit.Tests;

public class HeVerifierTests
{
    private static readonly string[] HeChecks =
    [
        "transcript.format", "transcript.chain", "transcript.signatures", "he.configuration", "he.envelopes", "he.collective-key",
        "he.commitments", "he.decryption-requests", "he.contributors", "he.server-messages", "he.replay", "he.decryption-check",
        "keys.round", "keys.sum",
    ];

    [Fact]
    public void An_honest_round_with_a_dropout_and_a_retry_verifies_with_every_check()
    {
        HeSampleRound s = HeSampleRound.Default;
        Assert.Equal(2, s.Published.Attempts); // decryptor 2 ignored attempt 1
        Assert.Equal([1u, 2, 3, 4], s.Published.Contributors); // client 5 never uploaded
        using var keys = s.Keys();
        using var aggregator = HeSampleRound.AggregatorKey();
        AuditVerification v = TranscriptVerifier.Verify(s.Transcript, null, aggregator.PublicKey.Bytes.ToArray(), keys);
        Checks.AssertAllPassed(v);
        Assert.Equal(HeChecks, v.Checks.Select(c => c.Id));
        // Decryptor 2 was silent and 1 used its answers: only one set decrypted, so the sum is unverified.
        Assert.All(v.Checks.Where(c => c.Id != "he.decryption-check"), c => Assert.Equal(AuditCheckStatus.Passed, c.Status));
        AuditCheck check = Checks.Get(v, "he.decryption-check");
        Assert.Equal(AuditCheckStatus.Skipped, check.Status);
        Assert.StartsWith("unverified", check.Reason);
        Assert.Equal(0, s.Published.Check);
    }

    [Fact]
    public void A_sum_checked_by_a_second_decryptor_set_says_so()
    {
        using var s = new HeSampleRound(clients: 4, decryptors: 4, droppedClients: [], droppedAtDecrypt: []);
        Assert.Equal((int)HeProtocol.Messages.HeDecryptionCheck.SecondSubset, s.Published.Check);
        using var keys = s.Keys();
        AuditVerification v = TranscriptVerifier.Verify(s.Transcript, null, null, keys);
        Checks.AssertAllPassed(v);
        AuditCheck check = Checks.Get(v, "he.decryption-check");
        Assert.Equal(AuditCheckStatus.Passed, check.Status);
        Assert.Equal("second subset: two decryptor sets decrypted the same sum (decryptor indices attempt 1: [1,2], attempt 2: [3,4])", check.Reason);
    }

    [Fact]
    public void A_sum_confirmed_by_an_overlapping_set_is_labelled_so_and_names_the_shared_decryptors()
    {
        // 5 decryptors, t = 3: [1,2,3] and [1,4,5] share decryptor 1, whose bad share moves both sums alike (he.md 10.7).
        using var s = new HeSampleRound(clients: 5, decryptors: 5, threshold: 3, droppedClients: [], droppedAtDecrypt: [], badShares: [1]);
        Assert.Equal((int)HeProtocol.Messages.HeDecryptionCheck.OverlappingSubset, s.Published.Check);
        using var keys = s.Keys();
        AuditVerification v = TranscriptVerifier.Verify(s.Transcript, null, null, keys);
        Checks.AssertStatus(v, "he.replay", AuditCheckStatus.Passed);
        Checks.AssertStatus(v, "he.contributors", AuditCheckStatus.Passed);
        AuditCheck check = Checks.Get(v, "he.decryption-check");
        Assert.Equal(AuditCheckStatus.Passed, check.Status);
        Assert.StartsWith("overlapping subset: two decryptor sets decrypted the same sum (decryptor indices attempt 1: [1,2,3], attempt 2: [1,4,5]) " +
            "but share 1 decryptor(s) (client ids [1])", check.Reason);

        // The same transcript re-signed claiming the disjoint label: the replay recomputes OverlappingSubset.
        var claimed = Protocol.Messages.MessageCodec.Decode<HeTranscriptResult>(Protocol.Messages.MessageCodec.Encode(s.Published), int.MaxValue);
        claimed.Check = (int)HeProtocol.Messages.HeDecryptionCheck.SecondSubset;
        Checks.AssertStatus(TranscriptVerifier.Verify(s.Write(s.Messages, claimed)), "he.replay", AuditCheckStatus.Failed);
    }

    [Fact]
    public void A_bad_decryption_share_is_outvoted_and_the_transcript_names_the_excluded_decryptors()
    {
        // Decryptor 1 adds a shift to its share: [1,2] and [3,4] disagree, [5,6] decides for [3,4], and 1 and 2 are excluded.
        using var s = new HeSampleRound(clients: 6, decryptors: 6, droppedClients: [], droppedAtDecrypt: [], badShares: [1]);
        Assert.True(s.Published.Completed);
        Assert.Equal((int)HeProtocol.Messages.HeDecryptionCheck.Elimination, s.Published.Check);
        Assert.Equal([1u, 2u], s.Published.ExcludedDecryptors);
        using var keys = s.Keys();
        AuditVerification v = TranscriptVerifier.Verify(s.Transcript, null, null, keys);
        Checks.AssertAllPassed(v);
        Checks.AssertStatus(v, "keys.sum", AuditCheckStatus.Passed); // the published sum is the inputs' sum
        AuditCheck check = Checks.Get(v, "he.decryption-check");
        Assert.Equal(AuditCheckStatus.Passed, check.Status);
        Assert.Contains("elimination", check.Reason);
        Assert.EndsWith("excluded decryptors [1,2]", check.Reason);
    }

    [Fact]
    public void A_result_claiming_a_check_the_round_did_not_do_fails_the_replay()
    {
        // The unverified sample, re-signed claiming a second-subset check: the replay recomputes Unverified.
        HeSampleRound s = HeSampleRound.Default;
        var claimed = Protocol.Messages.MessageCodec.Decode<HeTranscriptResult>(Protocol.Messages.MessageCodec.Encode(s.Published), int.MaxValue);
        claimed.Check = (int)HeProtocol.Messages.HeDecryptionCheck.SecondSubset;
        AuditVerification v = TranscriptVerifier.Verify(s.Write(s.Messages, claimed));
        Checks.AssertStatus(v, "he.replay", AuditCheckStatus.Failed);
        Checks.AssertStatus(v, "he.decryption-check", AuditCheckStatus.Passed); // it reports the claim; the replay judges it
    }

    [Fact]
    public void The_transcript_carries_the_scheme_the_configuration_and_the_server_log()
    {
        HeSampleRound s = HeSampleRound.Default;
        var records = TranscriptReader.Read(s.Transcript);
        var header = Protocol.Messages.MessageCodec.Decode<TranscriptHeader>(records[0].Payload, records[0].Payload.Length);
        Assert.Equal("he", header.Scheme);
        Assert.Equal(s.Parameters.EncodedConfiguration.ToArray(), header.Configuration);
        // One StageClosed per server log close, in the same order as the envelopes.
        var log = records.Where(r => r.Kind is TranscriptRecordKind.ClientToServer or TranscriptRecordKind.StageClosed).ToList();
        Assert.Equal(s.Result.ServerLog.Count, log.Count);
        Assert.All(log.Zip(s.Result.ServerLog), x => Assert.Equal(x.Second.IsClose, x.First.Kind == TranscriptRecordKind.StageClosed));
    }

    [Fact]
    public void A_sum_that_does_not_match_the_inputs_fails_keys_sum_only_with_a_wrong_key_file()
    {
        HeSampleRound s = HeSampleRound.Default;
        var inputs = s.Published.Contributors.ToDictionary(id => id, id => (ulong[])s.Inputs[id].Clone());
        inputs[3][0] += 1;
        using var keys = new Keys.HeAuditKeyFile(s.Parameters.ConfigurationHash.Span, inputs);
        AuditVerification v = TranscriptVerifier.Verify(s.Transcript, null, null, keys);
        Checks.AssertStatus(v, "keys.sum", AuditCheckStatus.Failed);
        Checks.AssertStatus(v, "he.replay", AuditCheckStatus.Passed);
    }

    [Fact]
    public void A_masking_key_file_for_an_he_transcript_fails_keys_round()
    {
        using var maskingKeys = SampleRound.Complete.Keys();
        AuditVerification v = TranscriptVerifier.Verify(HeSampleRound.Default.Transcript, maskingKeys);
        Checks.AssertStatus(v, "keys.round", AuditCheckStatus.Failed);
    }

    [Fact]
    public void An_aborted_round_verifies_and_skips_what_did_not_happen()
    {
        // Only one client uploads, below MinimumClients = 2: the server aborts after H2.
        using var s = new HeSampleRound(clients: 3, decryptors: 2, threshold: 1, droppedClients: [2, 3], droppedAtDecrypt: []);
        Assert.False(s.Published.Completed);
        AuditVerification v = TranscriptVerifier.Verify(s.Transcript);
        Checks.AssertAllPassed(v);
        Checks.AssertStatus(v, "he.decryption-requests", AuditCheckStatus.Skipped);
        Checks.AssertStatus(v, "he.contributors", AuditCheckStatus.Skipped);
        Checks.AssertStatus(v, "he.replay", AuditCheckStatus.Passed);
    }
}
