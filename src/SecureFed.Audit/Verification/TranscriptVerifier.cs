using SecureFed.Audit.Keys;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification.He;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Audit.Verification;

/// <summary>
/// The independent verifier (protocol-spec/transcript.md, "Verification"): re-derives the round from a transcript's
/// bytes with the protocol's primitives, never by re-running the server (HE rounds: the server's deterministic state machine is replayed as one of the checks), and reports each check with a reason.
/// </summary>
public static class TranscriptVerifier
{
    /// <summary>Verifies <paramref name="transcript"/>, with the auditor's key file when given.</summary>
    /// <param name="transcript">The transcript file's bytes.</param>
    /// <param name="keys">The key file of a sample run, or null.</param>
    /// <param name="expectedAggregatorKey">The aggregator key the operator published (32 bytes), or null to accept the header's.</param>
    /// <param name="heKeys">The key file of a sample HE run (clients' plaintext inputs), or null.</param>
    public static AuditVerification Verify(ReadOnlyMemory<byte> transcript, AuditKeyFile? keys = null, byte[]? expectedAggregatorKey = null,
        HeAuditKeyFile? heKeys = null)
    {
        var checks = new List<AuditCheck>();
        var histograms = new AuditHistograms();
        IReadOnlyList<TranscriptRecord> records;
        try
        {
            records = TranscriptReader.Read(transcript);
        }
        catch (TranscriptFormatException e)
        {
            checks.Add(AuditCheck.Fail("transcript.format", "the file parses as a transcript (magic, framing, MessagePack)", e.Message));
            return new AuditVerification(checks, null, histograms, null);
        }
        checks.Add(AuditCheck.Pass("transcript.format", "the file parses as a transcript (magic, framing, MessagePack)", $"{records.Count} records, {transcript.Length} bytes"));
        // Every stage below is guarded: a check that throws becomes a FAIL with its reason (CheckGuard).
        TranscriptHeader? header = CheckGuard.Run("transcript.integrity", checks, () => IntegrityChecks.Run(records, expectedAggregatorKey, checks));
        if (header?.Scheme == TranscriptHeader.HeScheme)
        {
            HeRoundView? he = CheckGuard.Run("he.checks", checks, () => HeTranscriptChecks.Run(records, header, heKeys, keys, checks));
            DistributedDpPlan? hePlan = null;
            if (he is not null && checks.Any(c => c.Id == DpCheck.Id && c.Status != AuditCheckStatus.Failed))
            {
                DpCheck.Run(he, out hePlan); // the plan the passed (or skipped) check rebuilt, for the report's privacy section
            }
            return new AuditVerification(checks, null, histograms, hePlan) { HeView = he };
        }
        string problem = "";
        RoundView? view = CheckGuard.Run("round.configuration", checks, () => RoundView.Build(records, header, out problem));
        if (view is null)
        {
            if (problem.Length == 0)
            {
                return new AuditVerification(checks, null, histograms, null); // Build threw: its FAIL is already there
            }
            checks.Add(AuditCheck.Fail("round.configuration", "the header holds a valid round configuration", problem));
            return new AuditVerification(checks, null, histograms, null);
        }
        checks.Add(AuditCheck.Pass("round.configuration", "the header holds a valid round configuration",
            $"{view.Parameters.ClientIds.Count} enrolled clients, t = {view.Parameters.Threshold}, graph {view.Parameters.Configuration.Graph}" +
            $"{(view.Parameters.Configuration.GraphDegree > 0 ? $" (k = {view.Parameters.Configuration.GraphDegree})" : "")}, " +
            $"vectors {string.Join(", ", view.Parameters.Vectors.Select(s => $"{s.Length} x {s.Bits} bits"))}"));
        CheckGuard.Run<object>("protocol.checks", checks, () => { ProtocolRuleChecks.Run(view, checks); return null; });
        var seeds = new Dictionary<uint, byte[]>();
        try
        {
            checks.Add(CheckGuard.Run(UnmaskingCheck.Id, () => UnmaskingCheck.Run(view, seeds)));
            if (keys is not null)
            {
                CheckGuard.Run<object>("keys.checks", checks, () => { KeyFileChecks.Run(view, keys, seeds, checks); return null; });
            }
        }
        finally
        {
            foreach (byte[] s in seeds.Values)
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(s);
            }
        }
        CheckGuard.Run<object>("uniformity.checks", checks, () => { UniformityChecks.Run(view, keys, checks, histograms); return null; });
        if (heKeys is not null)
        {
            checks.Add(AuditCheck.Fail("keys.round", "the key file belongs to this round", $"a {HeAuditKeyFile.FormatName} key file (HE) was given for a masking transcript"));
        }
        DistributedDpPlan? plan = null;
        checks.Add(CheckGuard.Run(DpCheck.Id, () => DpCheck.Run(view, out plan)));
        return new AuditVerification(checks, view, histograms, plan);
    }
}
