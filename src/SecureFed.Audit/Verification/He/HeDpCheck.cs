using SecureFed.Privacy.Pipeline;

namespace SecureFed.Audit.Verification.He;

// dp.accountant for HE rounds: the header's DP record rebuilds a valid plan that matches the configured vector (one
// value per coefficient: DP encodings wrap mod 2^bits), and the epsilon the result claims is the accountant's for the
// number of contributors actually decrypted. Same id and rule as the masking rounds' check.
internal static class HeDpCheck
{
    public const string Id = "dp.accountant";
    private const string Text = "the recorded noise parameters match the round's vector and the claimed epsilon equals the accountant's for the contributors";

    public static AuditCheck Run(HeRoundView v)
    {
        if (v.Header.Dp is null)
        {
            return v.Result is { } r && !double.IsNaN(r.ClaimedEpsilon)
                ? AuditCheck.Fail(Id, Text, "an epsilon is claimed but no DP parameters were recorded")
                : AuditCheck.Skip(Id, Text, "the round had no distributed DP");
        }
        DistributedDpPlan plan;
        try
        {
            plan = v.Header.Dp.ToPlan();
        }
        catch (ArgumentException e)
        {
            return AuditCheck.Fail(Id, Text, $"the recorded DP parameters are invalid: {e.Message.Split(Environment.NewLine)[0]}");
        }
        var c = v.Parameters.Configuration;
        var options = v.Parameters.Plan.Options;
        if (c.Bits != plan.Bits || c.VectorLength != plan.PaddedDimension || options.Lanes != 1)
        {
            return AuditCheck.Fail(Id, Text, $"the DP plan needs {plan.PaddedDimension} values mod 2^{plan.Bits}, one per coefficient; the round has {c.VectorLength} mod 2^{c.Bits} in {options.Lanes} lane(s)");
        }
        if (v.Result is not { Completed: true } result)
        {
            return AuditCheck.Skip(Id, Text, "the round did not complete, so no epsilon was spent on a published sum");
        }
        return DpEpsilonClaim.Check(Id, Text, plan, result.Contributors.Length, "contributors", result.ClaimedEpsilon);
    }
}
