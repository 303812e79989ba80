using SecureFed.Audit.Verification;

namespace SecureFed.Audit.Tests;

internal static class Checks
{
    public static AuditCheck Get(AuditVerification v, string id) => v.Checks.Single(c => c.Id == id);

    public static void AssertStatus(AuditVerification v, string id, AuditCheckStatus status)
    {
        AuditCheck c = Get(v, id);
        Assert.True(c.Status == status, $"{id}: expected {status}, got {c.Status}: {c.Reason}");
    }

    public static void AssertAllPassed(AuditVerification v)
    {
        var failed = v.Checks.Where(c => c.Status == AuditCheckStatus.Failed).Select(c => $"{c.Id}: {c.Reason}").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
        Assert.True(v.Passed);
    }
}
