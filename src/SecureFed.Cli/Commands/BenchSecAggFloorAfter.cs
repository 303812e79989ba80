namespace SecureFed.Cli.Commands;

// A case's client floor computed again from a baseline measured right after the case (`bench secagg --floor-after`).
// On a machine shared with other jobs the first baseline is measured minutes before a long case runs, and the load
// moves the costs of the floor's primitives by up to 2x in that time, so the ratio to the first floor measures the
// load as much as the client. The floor's definition is the same; only when its costs are measured differs.
internal sealed record BenchSecAggFloorAfter(
    string Graph,
    int Clients,
    int Length,
    double ClientMsMean,
    double ClientFloorMs,
    double ClientFloorRatio,
    double ClientFloorMsAfter,
    double ClientFloorRatioAfter,
    BenchSecAggBaseline BaselineAfter)
{
    public static BenchSecAggFloorAfter Of(BenchSecAggScenario run, BenchSecAggBaseline after)
    {
        double floor = BenchSecAggScenario.FloorMs(after, run.Degree, run.Length, run.Bits, run.ClientThreads);
        return new BenchSecAggFloorAfter(run.Graph, run.Clients, run.Length, run.ClientMsMean, run.ClientFloorMs, run.ClientFloorRatio,
            floor, run.ClientMsMean / floor, after);
    }
}
