using SecureFed.Audit.Keys;
using SecureFed.Audit.Transcripts;
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
        TranscriptHeader? header = IntegrityChecks.Run(records, expectedAggregatorKey, checks);
        if (header?.Scheme == HeTranscriptWriter.Scheme)
        {
            HeRoundView? he = HeTranscriptChecks.Run(records, header, heKeys, keys, checks);
            return new AuditVerification(checks, null, histograms, null) { HeView = he };
        }
        RoundView? view = RoundView.Build(records, header, out string problem);
        if (view is null)
        {
            checks.Add(AuditCheck.Fail("round.configuration", "the header holds a valid round configuration", problem));
            return new AuditVerification(checks, null, histograms, null);
        }
        checks.Add(AuditCheck.Pass("round.configuration", "the header holds a valid round configuration",
            $"{view.Parameters.ClientIds.Count} enrolled clients, t = {view.Parameters.Threshold}, graph {view.Parameters.Configuration.Graph}" +
            $"{(view.Parameters.Configuration.GraphDegree > 0 ? $" (k = {view.Parameters.Configuration.GraphDegree})" : "")}, " +
            $"vectors {string.Join(", ", view.Parameters.Vectors.Select(s => $"{s.Length} x {s.Bits} bits"))}"));
        ProtocolRuleChecks.Run(view, checks);
        var seeds = new Dictionary<uint, byte[]>();
        try
        {
            checks.Add(UnmaskingCheck.Run(view, seeds));
            if (keys is not null)
            {
                KeyFileChecks.Run(view, keys, seeds, checks);
            }
        }
        finally
        {
            foreach (byte[] s in seeds.Values)
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(s);
            }
        }
        UniformityChecks.Run(view, keys, checks, histograms);
        if (heKeys is not null)
        {
            checks.Add(AuditCheck.Fail("keys.round", "the key file belongs to this round", $"a {HeAuditKeyFile.FormatName} key file (HE) was given for a masking transcript"));
        }
        checks.Add(DpCheck.Run(view, out DistributedDpPlan? plan));
        return new AuditVerification(checks, view, histograms, plan);
    }
}
