using SecureFed.Transcripts;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Accounting;
using SecureFed.Privacy.Pipeline;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Audit.Tests;

// A small round with distributed DP: each client's update goes through the DP encoder before masking.
internal static class DpRound
{
    private static readonly Lazy<(SampleRound Round, DistributedDpPlan Plan)> Instance = new(Make);

    public static SampleRound Round => Instance.Value.Round;

    public static DistributedDpPlan Plan => Instance.Value.Plan;

    public static double AccountantEpsilon(int survivors)
    {
        var a = new DistributedDpAccountant(Plan);
        a.RecordRound(survivors);
        return a.Spent().Epsilon;
    }

    public static byte[] Transcript(double claimedEpsilon, DpRoundRecord? record = null)
    {
        TranscriptResult result = Round.Result();
        result.ClaimedEpsilon = claimedEpsilon;
        return Round.Write(Round.Messages, result, record ?? DpRoundRecord.From(Plan));
    }

    private static (SampleRound, DistributedDpPlan) Make()
    {
        DistributedDpPlan plan = DistributedDpPlanner.Plan(new DistributedDpOptions
        {
            Epsilon = 2, Delta = 1e-5, ClipNorm = 1, ExpectedClients = 6, MinimumSurvivors = 4, Dimension = 100,
        });
        var seed = new byte[32];
        var encoder = new DpClientEncoder(plan, seed);
        ulong[][] Input(uint id)
        {
            using var r = DeterministicRandomSource.Derive(SampleRound.Seed, "dp", id);
            double[] update = [.. Enumerable.Range(0, plan.Dimension).Select(_ => (r.NextDouble() - 0.5) * 0.1)];
            var encoded = new ulong[plan.PaddedDimension];
            encoder.Encode(update, encoded, r);
            return [encoded];
        }
        var round = new SampleRound(GraphKind.Complete, 6, 0, [new VectorSpec { Length = plan.PaddedDimension, Bits = plan.Bits }], Input);
        return (round, plan);
    }
}
