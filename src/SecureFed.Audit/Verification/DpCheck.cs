using SecureFed.Privacy.Pipeline;

namespace SecureFed.Audit.Verification;

// The DP parameters recorded in the header rebuild a valid plan that matches the configured vector, and the epsilon
// the aggregator claims for the round is what the accountant gives for the number of survivors actually summed.
internal static class DpCheck
{
    public const string Id = "dp.accountant";
    private const string Text = "the recorded noise parameters match the round's vector and the claimed epsilon equals the accountant's for the survivors";

    public static AuditCheck Run(RoundView v, out DistributedDpPlan? plan)
    {
        plan = null;
        if (v.Header.Dp is null)
        {
            return v.Result is { } r && !double.IsNaN(r.ClaimedEpsilon)
                ? AuditCheck.Fail(Id, Text, "an epsilon is claimed but no DP parameters were recorded")
                : AuditCheck.Skip(Id, Text, "the round had no distributed DP");
        }
        try
        {
            plan = v.Header.Dp.ToPlan();
        }
        catch (ArgumentException e)
        {
            return AuditCheck.Fail(Id, Text, $"the recorded DP parameters are invalid: {e.Message.Split(Environment.NewLine)[0]}");
        }
        var spec = v.Parameters.Vectors[0];
        if (v.Parameters.Vectors.Count != 1 || spec.Bits != plan.Bits || spec.Length != plan.PaddedDimension)
        {
            return AuditCheck.Fail(Id, Text, $"the DP plan needs one vector of {plan.PaddedDimension} elements mod 2^{plan.Bits}; the round has {spec.Length} mod 2^{spec.Bits}");
        }
        if (v.Result is not { Completed: true } result)
        {
            return AuditCheck.Skip(Id, Text, "the round did not complete, so no epsilon was spent on a published sum");
        }
        return DpEpsilonClaim.Check(Id, Text, plan, result.Survivors.Length, "survivors", result.ClaimedEpsilon);
    }
}
