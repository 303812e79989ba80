using SecureFed.Privacy.Pipeline;
using SecureFed.Protocol.Messages;
using SecureFed.Transcripts;

namespace SecureFed.Audit.Verification;

// dp.accountant, for every scheme: the DP record in the header rebuilds a valid plan, is the plan the round's
// configuration carries (covered by the configuration hash) when it carries one, matches the summed vector (one value
// per word: DP encodings wrap mod 2^bits), and the epsilon the result claims is what the accountant gives for the
// number of parties whose inputs were actually summed.
internal static class DpCheck
{
    public const string Id = "dp.accountant";

    public static AuditCheck Run(TranscriptRoundView v, out DistributedDpPlan? plan)
    {
        string text = $"the recorded noise parameters match the round's vector and the claimed epsilon equals the accountant's for the {v.SummedNoun}";
        plan = null;
        if (v.Header.Dp is null)
        {
            if (v.Encoding?.Dp is not null)
            {
                return AuditCheck.Fail(Id, text, "the configuration carries a DP plan but the header has no DP record");
            }
            return v.Outcome is { } r && !double.IsNaN(r.ClaimedEpsilon)
                ? AuditCheck.Fail(Id, text, "an epsilon is claimed but no DP parameters were recorded")
                : AuditCheck.Skip(Id, text, "the round had no distributed DP");
        }
        try
        {
            plan = v.Header.Dp.ToPlan();
        }
        catch (ArgumentException e)
        {
            return AuditCheck.Fail(Id, text, $"the recorded DP parameters are invalid: {e.Message.Split(Environment.NewLine)[0]}");
        }
        if (v.Encoding?.Dp is { } configured && !MessageCodec.Encode(DpRoundRecord.From(configured.Plan)).AsSpan().SequenceEqual(MessageCodec.Encode(v.Header.Dp)))
        {
            plan = null;
            return AuditCheck.Fail(Id, text, "the header's DP record is not the plan the round's configuration carries");
        }
        var vectors = v.SummedVectors;
        if (vectors.Count != 1 || vectors[0].Bits != plan.Bits || vectors[0].Length != plan.PaddedDimension || !v.OneValuePerWord)
        {
            string got = string.Join(", ", vectors.Select(s => $"{s.Length} mod 2^{s.Bits}")) + (v.OneValuePerWord ? "" : " in packed lanes");
            return AuditCheck.Fail(Id, text, $"the DP plan needs one vector of {plan.PaddedDimension} values mod 2^{plan.Bits}, one per word; the round has {got}");
        }
        if (v.Outcome is not { Completed: true } result)
        {
            return AuditCheck.Skip(Id, text, "the round did not complete, so no epsilon was spent on a published sum");
        }
        return DpEpsilonClaim.Check(Id, text, plan, result.Summed.Count, v.SummedNoun, result.ClaimedEpsilon);
    }
}
