namespace SecureFed.Audit.Verification;

/// <summary>Outcome of one verifier check.</summary>
public enum AuditCheckStatus
{
    /// <summary>The property holds.</summary>
    Passed,

    /// <summary>The property does not hold (the verifier exits non-zero).</summary>
    Failed,

    /// <summary>Not applicable (e.g. no key file, no DP, round aborted, too little data); the reason says why.</summary>
    Skipped,
}
