namespace SecureFed.Audit.Verification;

/// <summary>One verifier check: a stable id, what it checks, its outcome and why.</summary>
public sealed record AuditCheck(string Id, string Description, AuditCheckStatus Status, string Reason)
{
    /// <summary>A passed check.</summary>
    public static AuditCheck Pass(string id, string description, string reason) => new(id, description, AuditCheckStatus.Passed, reason);

    /// <summary>A failed check.</summary>
    public static AuditCheck Fail(string id, string description, string reason) => new(id, description, AuditCheckStatus.Failed, reason);

    /// <summary>A skipped check.</summary>
    public static AuditCheck Skip(string id, string description, string reason) => new(id, description, AuditCheckStatus.Skipped, reason);

    /// <summary>Passed or failed on <paramref name="ok"/>, with the matching reason.</summary>
    public static AuditCheck From(string id, string description, bool ok, string passReason, string failReason) =>
        ok ? Pass(id, description, passReason) : Fail(id, description, failReason);
}
