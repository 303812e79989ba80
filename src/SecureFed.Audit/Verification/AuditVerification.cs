using SecureFed.Privacy.Pipeline;

namespace SecureFed.Audit.Verification;

/// <summary>Every check the verifier ran on one transcript, in order.</summary>
public sealed class AuditVerification
{
    internal AuditVerification(IReadOnlyList<AuditCheck> checks, RoundView? view, AuditHistograms histograms, DistributedDpPlan? dpPlan)
    {
        Checks = checks;
        View = view;
        Histograms = histograms;
        DpPlan = dpPlan;
    }

    /// <summary>The checks, each passed, failed or skipped with a reason.</summary>
    public IReadOnlyList<AuditCheck> Checks { get; }

    /// <summary>True when no check failed (skipped checks do not fail a transcript).</summary>
    public bool Passed => Checks.All(c => c.Status != AuditCheckStatus.Failed);

    internal RoundView? View { get; }

    // The decoded HE round, for HE transcripts whose configuration is usable.
    internal He.HeRoundView? HeView { get; init; }

    internal AuditHistograms Histograms { get; }

    internal DistributedDpPlan? DpPlan { get; }

    /// <summary>Writes one line per check ("PASS id: reason") and a closing verdict.</summary>
    public void WriteText(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (AuditCheck c in Checks)
        {
            string tag = c.Status switch { AuditCheckStatus.Passed => "PASS", AuditCheckStatus.Failed => "FAIL", _ => "SKIP" };
            output.WriteLine($"{tag} {c.Id}: {c.Reason}");
        }
        int passed = Checks.Count(c => c.Status == AuditCheckStatus.Passed), failed = Checks.Count(c => c.Status == AuditCheckStatus.Failed);
        output.WriteLine($"{(Passed ? "VERIFIED" : "NOT VERIFIED")}: {passed} passed, {failed} failed, {Checks.Count - passed - failed} skipped");
    }
}
