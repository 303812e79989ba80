using SecureFed.Audit.Keys;
using SecureFed.Transcripts;

namespace SecureFed.Audit.Verification.He;

// Every HE-specific check, in report order, after the shared format, chain and signature checks.
internal static class HeTranscriptChecks
{
    private const string ConfigurationText = "the header is version 1, scheme he, and its HeRoundConfiguration decodes, validates (HeRoundParameters.Create) and re-encodes to the same bytes";

    public static HeRoundView? Run(IReadOnlyList<TranscriptRecord> records, TranscriptHeader? header, HeAuditKeyFile? keys, AuditKeyFile? maskingKeys, List<AuditCheck> checks)
    {
        HeRoundView? v = HeRoundView.Build(records, header, out string problem);
        if (v is null)
        {
            checks.Add(AuditCheck.Fail("he.configuration", ConfigurationText, problem));
            return null;
        }
        var c = v.Parameters.Configuration;
        checks.Add(AuditCheck.Pass("he.configuration", ConfigurationText,
            $"{v.Parameters.ClientIds.Count} enrolled clients, {c.Decryptors.Length} decryptors (t = {c.Threshold}), {c.VectorLength} values mod 2^{c.Bits}, " +
            $"MinimumClients {c.MinimumClients}, MaxDecryptionAttempts {c.MaxDecryptionAttempts}; H = {Convert.ToHexStringLower(v.Parameters.ConfigurationHash.Span)[..16]}..."));
        checks.Add(HeKeyChecks.Envelopes(v));
        checks.Add(HeKeyChecks.CollectiveKey(v));
        var facts = new Dictionary<uint, HeUploadFacts>();
        checks.Add(HeUploadChecks.Commitments(v, facts));
        checks.Add(HeUploadChecks.Requests(v, facts, out IReadOnlyList<uint>? opened, out int attempts));
        checks.Add(HeResultCheck.Run(v, opened, attempts));
        HeReplayCheck.Run(v, checks);
        checks.Add(HeDecryptionCheckLine.Run(v));
        if (v.Header.Dp is not null || v.Encoding?.Dp is not null || v.Result is { } r && !double.IsNaN(r.ClaimedEpsilon))
        {
            checks.Add(DpCheck.Run(v, out _)); // only rounds with distributed DP (or a claim of it) have this line
        }
        if (maskingKeys is not null)
        {
            checks.Add(AuditCheck.Fail("keys.round", "the key file belongs to this round", $"a {AuditKeyFile.FormatName} key file (masking) was given for an HE transcript"));
        }
        else if (keys is not null)
        {
            HeKeyFileChecks.Run(v, keys, checks);
        }
        return v;
    }
}
