namespace SecureFed.Audit.Verification;

// A transcript comes from an aggregator the auditor does not trust, and that aggregator holds the transcript signing
// key: any shape a check did not foresee must end as a FAIL with its reason, never as a crash without a verdict.
internal static class CheckGuard
{
    public const string StoppedDescription = "the check runs to completion on this transcript";

    /// <summary>The check's own result, or a FAIL under <paramref name="id"/> naming what stopped it.</summary>
    public static AuditCheck Run(string id, Func<AuditCheck> check)
    {
        try
        {
            return check();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Stopped(id, e);
        }
    }

    /// <summary>Runs a group of checks that add to <paramref name="checks"/>; a throw adds a FAIL under <paramref name="id"/>.</summary>
    public static T? Run<T>(string id, List<AuditCheck> checks, Func<T?> group)
    {
        try
        {
            return group();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            checks.Add(Stopped(id, e));
            return default;
        }
    }

    private static AuditCheck Stopped(string id, Exception e) =>
        AuditCheck.Fail(id, StoppedDescription, $"the check stopped on this transcript ({e.GetType().Name}: {e.Message})");
}
