using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;

namespace SecureFed.Audit.Verification;

// The last step of dp.accountant for both schemes: the epsilon a completed round claims must be what the accountant
// gives for the plan and the number of parties whose inputs were actually summed (to a relative 1e-9).
internal static class DpEpsilonClaim
{
    public static AuditCheck Check(string id, string text, DistributedDpPlan plan, int summed, string summedNoun, double claimedEpsilon)
    {
        PrivacySpent spent = DistributedDpAccountant.Project(plan, summed, rounds: 1);
        bool ok = Math.Abs(spent.Epsilon - claimedEpsilon) <= 1e-9 * Math.Max(1, Math.Abs(spent.Epsilon));
        string detail = $"{plan.Mechanism}, per-client noise variance {plan.NoiseVarianceNumerator}/{plan.NoiseVarianceDenominator}, scale {plan.Scale:G4}, " +
            $"{summed} {summedNoun}: accountant epsilon = {spent.Epsilon:G6} at delta = {spent.Delta:G3} (target {plan.TargetEpsilon:G4})";
        return AuditCheck.From(id, text, ok, detail, $"claimed epsilon {claimedEpsilon:G6} but {detail}");
    }
}
