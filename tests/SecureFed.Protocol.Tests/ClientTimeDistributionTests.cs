using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Protocol.Tests;

// The per-client times a simulation reports, and their spread: what the bench and simulate print beside the mean.
public class ClientTimeDistributionTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_over_the_clients()
    {
        double[] times = [.. Enumerable.Range(1, 100).Select(i => (double)i).OrderBy(i => (i * 37) % 101)];
        ClientTimeDistribution d = ClientTimeDistribution.Of(times);
        Assert.Equal(new ClientTimeDistribution(50.5, 50, 90, 99, 100), d);
        Assert.Equal(new ClientTimeDistribution(7, 7, 7, 7, 7), ClientTimeDistribution.Of([7.0]));
        Assert.Equal(new ClientTimeDistribution(0, 0, 0, 0, 0), ClientTimeDistribution.Of([]));
        // Of four values, the median is the 2nd (ceil(0.5 x 4)) and p90 the 4th (ceil(0.9 x 4)).
        Assert.Equal(new ClientTimeDistribution(4, 2, 10, 10, 10), ClientTimeDistribution.Of([1.0, 3.0, 2.0, 10.0]));
    }

    [Fact]
    public void A_simulation_reports_each_clients_time_summed_over_its_stages()
    {
        SimulationReport report = new RoundSimulator(new SimulationOptions
        {
            Clients = 12,
            Vectors = [new VectorSpec { Length = 300, Bits = 32 }],
            Seed = 5,
            Dropouts = new Dictionary<uint, ProtocolStage> { [11] = ProtocolStage.MaskedInputCollection, [12] = ProtocolStage.MaskedInputCollection },
            Inputs = id => [[.. Enumerable.Range(0, 300).Select(i => (ulong)(i + id))]],
        }).Run();
        Assert.True(report.SumMatches);
        Assert.Equal(12, report.ClientMilliseconds.Count);
        Assert.All(report.ClientMilliseconds, ms => Assert.True(ms > 0));
        // The same ticks as the stages' totals, split by client.
        double stagesTotal = report.Stages.Sum(s => s.ClientMillisecondsTotal);
        Assert.Equal(stagesTotal, report.ClientMilliseconds.Sum(), 6);
        // The slowest client is at most the sum of each stage's slowest (those may be different clients).
        ClientTimeDistribution d = ClientTimeDistribution.Of(report.ClientMilliseconds);
        Assert.Equal(report.ClientMilliseconds.Max(), d.Max);
        Assert.True(d.Max <= report.Stages.Sum(s => s.ClientMillisecondsMax) + 1e-9);
        Assert.Equal(stagesTotal / 12, d.Mean, 6);
    }
}
