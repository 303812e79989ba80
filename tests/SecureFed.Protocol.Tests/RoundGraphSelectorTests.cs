using System.Security.Cryptography;
using SecureFed.Privacy.Parameters;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Planning;
using SecureFed.Protocol.Simulation;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

public class RoundGraphSelectorTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(10_000)]
    public void By_default_it_picks_what_the_finder_picks_for_simulate(int clients)
    {
        RoundGraph graph = RoundGraphSelector.Select(clients);
        GraphPlan simulate = SecAggPlusPlanner.Plan(new GraphPlanRequest { Clients = clients, CorruptFraction = 0.05, DropoutFraction = 0.1 });
        Assert.Equal(GraphKind.Harary, graph.Graph);
        Assert.Equal((simulate.Degree, simulate.Threshold), (graph.Degree, graph.Threshold));
        Assert.Equal(graph.Degree + 1, graph.HoldersPerClient);
        Assert.True(graph.Degree < clients - 1);
        Assert.True(graph.Plan.Log2PrivacyFailure <= -40 - Math.Log2(clients));
    }

    [Fact]
    public void The_chosen_graph_is_a_valid_round_configuration()
    {
        using var round = new ManualRound(100);
        RoundGraph graph = RoundGraphSelector.Select(100);
        var configuration = new RoundConfiguration
        {
            RoundId = round.Configuration.RoundId,
            Vectors = round.Configuration.Vectors,
            Roster = round.Configuration.Roster,
        };
        graph.ApplyTo(configuration);
        RoundParameters parameters = RoundParameters.Create(configuration);
        Assert.Equal(graph.Degree + 1, parameters.HoldersPerClient);
        Assert.Equal(graph.Threshold, parameters.Threshold);
    }

    [Fact]
    public void A_round_on_the_chosen_graph_survives_the_assumed_dropouts()
    {
        const int clients = 60;
        RoundGraph graph = RoundGraphSelector.Select(clients);
        Assert.Equal(GraphKind.Harary, graph.Graph);
        var dropouts = new Dictionary<uint, ProtocolStage>();
        ProtocolStage[] stages = [ProtocolStage.ShareKeys, ProtocolStage.MaskedInputCollection, ProtocolStage.ConsistencyCheck, ProtocolStage.Unmasking];
        for (uint id = 3; id <= clients && dropouts.Count < clients / 10; id += 7)
        {
            dropouts[id] = stages[dropouts.Count % stages.Length];
        }
        SimulationReport report = new RoundSimulator(new SimulationOptions
        {
            Clients = clients,
            Vectors = [new VectorSpec { Length = 16, Bits = 32 }],
            Graph = graph.Graph,
            GraphDegree = graph.Degree,
            Threshold = graph.Threshold,
            Dropouts = dropouts,
            Seed = 21,
            Inputs = id => [[.. Enumerable.Range(0, 16).Select(i => (ulong)(id * 1000 + i))]],
        }).Run();
        Assert.True(report.SumMatches, report.AbortDetail);
    }

    [Fact]
    public void Small_rosters_get_the_complete_graph_and_it_stays_available_explicitly()
    {
        RoundGraph small = RoundGraphSelector.Select(5);
        Assert.Equal((GraphKind.Complete, 0), (small.Graph, small.Degree));
        RoundGraph explicitComplete = RoundGraphSelector.Select(1000, new RoundGraphOptions { Choice = RoundGraphChoice.Complete });
        Assert.Equal((GraphKind.Complete, 0), (explicitComplete.Graph, explicitComplete.Degree));
        Assert.Equal(1000, explicitComplete.HoldersPerClient);
        // t > floor(0.05 n) corrupt clients and a strict majority; t <= n - ceil(0.1 n).
        Assert.Equal(501, explicitComplete.Threshold);
        RoundGraph pair = RoundGraphSelector.Select(2, new RoundGraphOptions { Choice = RoundGraphChoice.Complete, DropoutFraction = 0 });
        Assert.Equal(2, pair.Threshold);
    }

    [Fact]
    public void No_safe_k_and_t_is_a_typed_refusal_with_the_numbers()
    {
        var heavy = new RoundGraphOptions { CorruptFraction = 0.4, DropoutFraction = 0.6 };
        var e = Assert.Throws<RoundGraphRefusedException>(() => RoundGraphSelector.Select(500, heavy));
        Assert.Equal(500, e.Clients);
        Assert.Equal(0.6, e.Assumptions.DropoutFraction);
        Assert.Contains("gamma + delta = 1 exceeds 0.9", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<RoundGraphRefusedException>(() => RoundGraphSelector.Select(2, new RoundGraphOptions { Choice = RoundGraphChoice.Complete }));
        Assert.Contains("no threshold works for n = 2", e.Reason, StringComparison.Ordinal);
        Assert.Throws<RoundGraphRefusedException>(() => RoundGraphSelector.Select(2));
    }

    [Fact]
    public void Assumptions_out_of_range_name_the_field()
    {
        Assert.Equal("CorruptFraction", Assert.Throws<ParameterOutOfRangeException>(
            () => RoundGraphSelector.Select(100, new RoundGraphOptions { CorruptFraction = 1.2 })).Field);
        Assert.Equal("DropoutFraction", Assert.Throws<ParameterOutOfRangeException>(
            () => RoundGraphSelector.Select(100, new RoundGraphOptions { DropoutFraction = -0.1 })).Field);
        Assert.Equal("SecurityBits", Assert.Throws<ParameterOutOfRangeException>(
            () => RoundGraphSelector.Select(100, new RoundGraphOptions { SecurityBits = 0 })).Field);
        Assert.Equal("RosterSize", Assert.Throws<ParameterOutOfRangeException>(() => RoundGraphSelector.Select(1)).Field);
        Assert.Equal("Choice", Assert.Throws<ParameterOutOfRangeException>(
            () => RoundGraphSelector.Select(100, new RoundGraphOptions { Choice = (RoundGraphChoice)5 })).Field);
    }

    [Fact]
    public void The_graph_seed_is_the_permutation_key_derived_from_the_session_id()
    {
        byte[] sessionId = Convert.FromHexString("4fd7b0891af0c23b478e61b82c27d8b9b787602fc14adc2e227cb5ac8f38f12b");
        byte[] expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, sessionId, 32, [], "SecureFed/secagg/v1/graph-permutation"u8.ToArray());
        Assert.Equal(expected, GraphPermutation.Seed(sessionId));
    }
}
