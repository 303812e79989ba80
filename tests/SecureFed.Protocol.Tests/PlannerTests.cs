using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Planning;

namespace SecureFed.Protocol.Tests;

public class PlannerTests
{
    // log2 Pr[Bin(n, p) >= x], computed independently by direct summation in decimal (System.Decimal has 28 digits).
    private static double Tail(int n, double p, int x)
    {
        double sum = 0;
        for (int i = Math.Max(x, 0); i <= n; i++)
        {
            double logTerm = LogChoose(n, i) + i * Math.Log(p) + (n - i) * Math.Log(1 - p);
            sum += Math.Exp(logTerm);
        }
        return Math.Log2(sum);
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (int i = 1; i <= k; i++)
        {
            s += Math.Log(n - k + i) - Math.Log(i);
        }
        return s;
    }

    public static TheoryData<int, double, double> Table => new()
    {
        { 1000, 0.05, 0.05 },
        { 1000, 0.1, 0.1 },
        { 1000, 0.05, 0.3 },
        { 10_000, 0.05, 0.05 },
        { 10_000, 0.1, 0.2 },
        { 10_000, 0.3, 0.3 },
        { 100_000, 0.05, 0.1 },
    };

    // For each (n, gamma, delta): the bounds of the SecAgg+ analysis hold for the returned (k, t), and k is minimal:
    // no smaller even degree admits any threshold.
    [Theory]
    [MemberData(nameof(Table))]
    public void Finder_output_meets_the_bounds_and_is_minimal(int n, double gamma, double delta)
    {
        GraphPlan plan = SecAggPlusPlanner.Plan(new GraphPlanRequest { Clients = n, CorruptFraction = gamma, DropoutFraction = delta });
        Assert.Equal(GraphKind.Harary, plan.Graph);
        Assert.True(Satisfies(n, gamma, delta, plan.Degree, plan.Threshold), $"k={plan.Degree}, t={plan.Threshold}");
        for (int k = 2; k < plan.Degree; k += 2)
        {
            for (int t = RoundParameters.MinimumThreshold(k + 1); t <= k + 1; t++)
            {
                Assert.False(Satisfies(n, gamma, delta, k, t), $"k={k}, t={t} would also do");
            }
        }
        Assert.True(plan.Degree < n / 4, "sparse: O(log n) neighbours");
    }

    private static bool Satisfies(int n, double g, double d, int k, int t)
    {
        double perNode = Math.Log2(n);
        return Tail(k, g, t) <= -40 - perNode
            && Tail(k + 1, d, k + 2 - t) <= -20 - perNode
            && Math.Log2(n * (n - 1.0) / 2) + k * Math.Log2(g + d) <= -40
            && t >= (k + 1) / 2 + 1;
    }

    [Theory]
    [InlineData(0.5, 0.41, AdversaryModel.HonestButCurious, "gamma + delta")]
    [InlineData(0.3, 0.31, AdversaryModel.SemiMalicious, "gamma + 2 delta")]
    public void Infeasible_fractions_are_refused_with_the_rule_they_break(double g, double d, AdversaryModel model, string rule)
    {
        var e = Assert.Throws<InfeasiblePlanException>(() => SecAggPlusPlanner.Plan(new GraphPlanRequest { Clients = 1000, CorruptFraction = g, DropoutFraction = d, Adversary = model }));
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_rounds_fall_back_to_the_complete_graph_with_worst_case_counts()
    {
        GraphPlan plan = SecAggPlusPlanner.Plan(new GraphPlanRequest { Clients = 100, CorruptFraction = 0.05, DropoutFraction = 0.3 });
        Assert.Equal(GraphKind.Complete, plan.Graph);
        Assert.Equal(51, plan.Threshold); // majority; > 5 corrupt; <= 100 - 30
        GraphPlan mal = SecAggPlusPlanner.Plan(new GraphPlanRequest { Clients = 100, CorruptFraction = 0.2, DropoutFraction = 0.2, Adversary = AdversaryModel.SemiMalicious });
        Assert.Equal(61, mal.Threshold); // 2t > 100 + 20
        Assert.Throws<InfeasiblePlanException>(() => SecAggPlusPlanner.Plan(new GraphPlanRequest { Clients = 10, CorruptFraction = 0.4, DropoutFraction = 0.45 }));
    }

    [Theory]
    [InlineData(GraphKind.Complete, 24, 0)]
    [InlineData(GraphKind.Harary, 60, 8)]
    public void The_cost_estimate_matches_the_bytes_of_a_simulated_round(GraphKind graph, int clients, int degree)
    {
        var vectors = new[] { new VectorSpec { Length = 2000, Bits = 32 } };
        int neighbours = graph == GraphKind.Complete ? clients - 1 : degree;
        var plan = new GraphPlan(graph, neighbours, (neighbours + 1) / 2 + 1, -40, -20, -20);
        RoundCostEstimate cost = RoundCostEstimate.For(plan, clients, vectors, 0);
        var report = new Simulation.RoundSimulator(new Simulation.SimulationOptions
        {
            Clients = clients, Vectors = vectors, Graph = graph, GraphDegree = graph == GraphKind.Harary ? degree : 0, Threshold = plan.Threshold, Seed = 3,
            Inputs = id => [Enumerable.Range(0, 2000).Select(i => (ulong)(id * 7 + i) & 0xFFFF_FFFF).ToArray()],
        }).Run();
        Assert.True(report.SumMatches);
        double upload = report.BytesSentPerClient.Values.Average();
        double download = (double)report.ServerBytesSent / clients;
        Assert.InRange(cost.ClientUploadBytes, upload * 0.95, upload * 1.05);
        Assert.InRange(cost.ClientDownloadBytes, download * 0.95, download * 1.05);
    }
}
