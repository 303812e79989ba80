using System.Net.Http.Headers;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Audit.Verification;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// SecAgg+ in hosted rounds (secagg.md 6.2) over a real service (Kestrel on 127.0.0.1, SQLite): the finder picks a
/// Harary graph with k &lt; n - 1, the round completes with dropouts and the exact sum, the status shows k, t and the
/// graph seed, and the downloaded transcript passes the verifier's graph check; impossible assumptions are refused
/// with a typed problem naming the field.
/// </summary>
public sealed class SecAggPlusRoundTests
{
    [Fact]
    public async Task A_finder_graph_round_with_dropouts_sums_exactly_shows_k_t_and_seed_and_its_transcript_verifies()
    {
        const int clients = 50, length = 12, bits = 32;
        int[] dropouts = [3, 17, 28, 41, 44]; // 10%: offline after their share delivery, before the masked input
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:TranscriptsEnabled=true");
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Vectors = [new VectorRequest { Length = length, Bits = bits }],
            StageDeadlineSeconds = 20,
        });
        Assert.Equal("harary", opened.Graph);
        Assert.NotNull(opened.GraphDegree);
        int k = opened.GraphDegree!.Value;
        Assert.InRange(k, 2, clients - 2);
        Assert.True(opened.Threshold > (k + 1) / 2 && opened.Threshold <= k + 1, $"t = {opened.Threshold} is not a strict majority of k + 1 = {k + 1}");
        Assert.Null(opened.GraphSeed); // fixed only once R0 closes

        await federation.RunAsync(service.ClientOptions(), opened.RoundId, length, bits, dropouts.ToDictionary(i => i, _ => 2));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));

        Assert.Equal("completed", done.Status);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, clients).Except(dropouts), length, bits), done.Sums!.Single());
        Assert.Equal(dropouts.Select(i => federation.ClientIds[i]).Order(), done.Dropped!.Order());
        Assert.Equal(("harary", k, opened.Threshold), (done.Graph, done.GraphDegree!.Value, done.Threshold));
        Assert.Matches("^[0-9a-f]{64}$", done.GraphSeed);
        Assert.True(done.ServerPeakMb is null or > 0);

        using var http = new HttpClient { BaseAddress = service.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.AdminKey);
        byte[] transcript = await http.GetByteArrayAsync($"/admin/v1/rounds/{opened.RoundId}/transcript");
        AuditVerification verification = TranscriptVerifier.Verify(transcript);
        using var text = new StringWriter();
        verification.WriteText(text);
        Assert.True(verification.Passed, text.ToString());
        AuditCheck graph = verification.Checks.Single(c => c.Id == "protocol.graph");
        Assert.Equal(AuditCheckStatus.Passed, graph.Status);
        Assert.Contains($"harary, k = {k}, t = {done.Threshold}, seed {done.GraphSeed}", graph.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assumptions_no_graph_can_meet_and_bad_graph_fields_are_refused_naming_the_field()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 10);
        OpenRoundRequest Request(GraphRequest graph) => new() { Federation = federation.Name, Vectors = [new VectorRequest { Length = 4 }], Graph = graph };

        // gamma + delta > 0.9: SecAgg+ cannot protect anything.
        var infeasible = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(Request(new GraphRequest { CorruptFraction = 0.5, DropoutFraction = 0.45 })));
        Assert.Equal("invalid-configuration", infeasible.Code);
        Assert.Equal("Graph", infeasible.InvalidConfiguration!.Field);
        Assert.Contains("no safe graph for 10 clients", infeasible.InvalidConfiguration.Got, StringComparison.Ordinal);
        // The complete graph asked for explicitly, with more dropouts than a strict majority leaves room for.
        var complete = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(Request(new GraphRequest { Kind = GraphRequest.Complete, DropoutFraction = 0.6 })));
        Assert.Equal("Graph", complete.InvalidConfiguration!.Field);
        Assert.Contains("no threshold works for n = 10", complete.InvalidConfiguration.Got, StringComparison.Ordinal);

        Assert.Equal(new Protocol.Configuration.ConfigurationError("Graph.DropoutFraction", "in [0, 1)", "1.5"),
            (await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(Request(new GraphRequest { DropoutFraction = 1.5 })))).InvalidConfiguration);
        Assert.Equal("Graph.Kind",
            (await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(Request(new GraphRequest { Kind = "ring" })))).InvalidConfiguration!.Field);
        Assert.Equal("Graph.Adversary",
            (await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(Request(new GraphRequest { Adversary = "evil" })))).InvalidConfiguration!.Field);
        Assert.Equal("Graph.SecurityBits",
            (await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(Request(new GraphRequest { SecurityBits = 0 })))).InvalidConfiguration!.Field);

        // Nothing was opened by the refusals; the complete graph stays available when asked for.
        RoundStatus explicitComplete = await admin.OpenRoundAsync(Request(new GraphRequest { Kind = GraphRequest.Complete }));
        Assert.Equal(("complete", 9), (explicitComplete.Graph, explicitComplete.GraphDegree!.Value));
    }
}
