using SecureFed.Audit.Keys;
using SecureFed.Audit.Verification;

namespace SecureFed.Audit.Tests;

public class VerifierTests
{
    public static TheoryData<string> Graphs => ["complete", "harary"];

    private static SampleRound Round(string graph) => graph == "complete" ? SampleRound.Complete : SampleRound.Harary;

    [Theory]
    [MemberData(nameof(Graphs))]
    public void An_honest_transcript_passes_every_check_with_the_key_file(string graph)
    {
        SampleRound round = Round(graph);
        using AuditKeyFile keys = round.Keys();
        AuditVerification v = TranscriptVerifier.Verify(round.Transcript, keys, SampleRound.AggregatorPublicKey);
        Checks.AssertAllPassed(v);
        // Everything but DP applies to this round, so nothing else may be skipped.
        Assert.Equal(["dp.accountant"], v.Checks.Where(c => c.Status == AuditCheckStatus.Skipped).Select(c => c.Id));
        Assert.Contains(v.Checks, c => c.Id == "keys.masked-inputs" && c.Status == AuditCheckStatus.Passed);
    }

    [Fact]
    public void Without_the_key_file_the_key_checks_are_absent_and_plain_uniformity_is_skipped()
    {
        AuditVerification v = TranscriptVerifier.Verify(SampleRound.Complete.Transcript);
        Checks.AssertAllPassed(v);
        Assert.DoesNotContain(v.Checks, c => c.Id.StartsWith("keys.", StringComparison.Ordinal));
        Checks.AssertStatus(v, "uniformity.plain-inputs", AuditCheckStatus.Skipped);
        Checks.AssertStatus(v, "result.unmasking", AuditCheckStatus.Passed);
    }

    [Fact]
    public void A_different_pinned_aggregator_key_fails_the_signature_check()
    {
        var other = new byte[32];
        other[0] = 1;
        AuditVerification v = TranscriptVerifier.Verify(SampleRound.Complete.Transcript, null, other);
        Checks.AssertStatus(v, "transcript.signatures", AuditCheckStatus.Failed);
        Assert.False(v.Passed);
    }

    [Fact]
    public void A_key_file_of_another_round_is_refused()
    {
        using AuditKeyFile keys = SampleRound.Harary.Keys();
        AuditVerification v = TranscriptVerifier.Verify(SampleRound.Complete.Transcript, keys);
        Checks.AssertStatus(v, "keys.round", AuditCheckStatus.Failed);
    }

    [Fact]
    public void The_key_file_round_trips_through_json()
    {
        string path = Path.Combine(Path.GetTempPath(), $"securefed-keys-{Guid.NewGuid():N}.json");
        try
        {
            using (AuditKeyFile keys = SampleRound.Complete.Keys())
            {
                keys.Save(path);
            }
            using AuditKeyFile loaded = AuditKeyFile.Load(path);
            Assert.Equal(SampleRound.Seed, loaded.Seed);
            Checks.AssertAllPassed(TranscriptVerifier.Verify(SampleRound.Complete.Transcript, loaded));
            Assert.DoesNotContain("Seed", loaded.Clients[0].ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_key_files_get_a_typed_error_naming_the_field()
    {
        string path = Path.Combine(Path.GetTempPath(), $"securefed-keys-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{"format":"securefed-audit-keys/v1","seed":1,"configurationHash":"zz","clients":[]}""");
            var e = Assert.Throws<SecureFed.Transcripts.TranscriptFormatException>(() => AuditKeyFile.Load(path));
            Assert.Contains("configurationHash", e.Message, StringComparison.Ordinal);
            File.WriteAllText(path, "not json");
            Assert.Throws<SecureFed.Transcripts.TranscriptFormatException>(() => AuditKeyFile.Load(path));
            File.WriteAllText(path, """{"format":"other"}""");
            Assert.Contains("format", Assert.Throws<SecureFed.Transcripts.TranscriptFormatException>(() => AuditKeyFile.Load(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public class AbortedRoundTests
{
    [Fact]
    public void An_aborted_round_verifies_with_the_result_checks_skipped()
    {
        // 5 clients, t = 3; three drop before sending masked input, so the server aborts with TooFewClients.
        var dropouts = new Dictionary<uint, SecureFed.Protocol.Messages.ProtocolStage>
        {
            [1] = SecureFed.Protocol.Messages.ProtocolStage.MaskedInputCollection,
            [2] = SecureFed.Protocol.Messages.ProtocolStage.MaskedInputCollection,
            [3] = SecureFed.Protocol.Messages.ProtocolStage.MaskedInputCollection,
        };
        var round = new SampleRound(SecureFed.Protocol.Configuration.GraphKind.Complete, 5, 0,
            [new SecureFed.Protocol.Configuration.VectorSpec { Length = 10, Bits = 16 }], id => [new ulong[10]], dropouts);
        Assert.Null(round.Report.Result);
        using var keys = round.Keys();
        AuditVerification v = TranscriptVerifier.Verify(round.Transcript, keys);
        Checks.AssertAllPassed(v);
        Checks.AssertStatus(v, "result.unmasking", AuditCheckStatus.Skipped);
        Checks.AssertStatus(v, "protocol.result-sets", AuditCheckStatus.Skipped);
        Assert.Contains("aborted", Checks.Get(v, "protocol.result-sets").Reason, StringComparison.Ordinal);
        Assert.Contains("aborted (reason 1", SecureFed.Audit.Reporting.AuditReportWriter.Render(v, "aborted.transcript"), StringComparison.Ordinal);
        // A result claimed for an aborted round is a lie the checks catch.
        var forged = round.Result();
        forged.Completed = true;
        forged.Sums = [new byte[20]];
        forged.Survivors = [4, 5];
        Assert.False(TranscriptVerifier.Verify(round.Write(round.Messages, forged, null), keys).Passed);
    }
}
