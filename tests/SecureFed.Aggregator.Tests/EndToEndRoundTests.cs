using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>Whole rounds over real HTTP: Kestrel on 127.0.0.1, a SQLite file, and the client library.</summary>
public sealed class EndToEndRoundTests
{
    [Fact]
    public async Task Fifty_clients_complete_a_round_and_the_operator_gets_their_sum()
    {
        const int clients = 50, length = 64, bits = 32;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await federation.OpenRoundAsync(admin, length, bits);

        Task<ContributionResult>[] runs = await federation.RunAsync(service.ClientOptions(), opened.RoundId, length, bits);

        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal(federation.ClientIds, done.Survivors);
        Assert.Empty(done.Dropped!);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, clients), length, bits), done.Sums![0]);
        Assert.All(runs, t => Assert.Equal(clients, t.Result.Survivors.Count));
    }

    // Devices 1 and 4 go offline just before `stage`; the stage closes at its deadline and the round completes with
    // the sum of the survivors (those that sent a masked input: dropping at R3/R4 keeps a device's input in the sum).
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task A_round_with_clients_dropping_at_a_stage_completes_with_the_survivors_sum(int stage)
    {
        const int clients = 8, length = 16, bits = 24;
        int[] dropping = [1, 4];
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await federation.OpenRoundAsync(admin, length, bits, deadlineSeconds: 3);

        Task<ContributionResult>[] runs = await federation.RunAsync(service.ClientOptions(), opened.RoundId, length, bits,
            dropping.ToDictionary(i => i, _ => stage));

        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        int[] inSum = stage <= 2 ? [.. Enumerable.Range(0, clients).Except(dropping)] : [.. Enumerable.Range(0, clients)];
        Assert.Equal(inSum.Select(i => federation.ClientIds[i]), done.Survivors);
        Assert.Equal(stage == 2 ? dropping.Select(i => federation.ClientIds[i]) : [], done.Dropped);
        Assert.Equal(TestFederation.ExpectedSum(inSum, length, bits), done.Sums![0]);
        foreach (int i in Enumerable.Range(0, clients))
        {
            Assert.Equal(!dropping.Contains(i), runs[i].IsCompletedSuccessfully);
        }
    }

    [Fact]
    public async Task Two_rounds_run_at_once_in_different_federations()
    {
        const int length = 8, bits = 32;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation a = await TestFederation.EnrolAsync(admin, 4), b = await TestFederation.EnrolAsync(admin, 5);
        RoundStatus ra = await a.OpenRoundAsync(admin, length, bits), rb = await b.OpenRoundAsync(admin, length, bits);

        await Task.WhenAll(a.RunAsync(service.ClientOptions(), ra.RoundId, length, bits), b.RunAsync(service.ClientOptions(), rb.RoundId, length, bits));

        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, 4), length, bits), (await admin.WaitForRoundAsync(ra.RoundId, TimeSpan.FromMilliseconds(50))).Sums![0]);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, 5), length, bits), (await admin.WaitForRoundAsync(rb.RoundId, TimeSpan.FromMilliseconds(50))).Sums![0]);
    }

    [Fact]
    public async Task Too_few_advertisements_by_the_deadline_abort_the_round_and_the_waiting_clients_learn_why()
    {
        const int length = 4, bits = 32;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 5);
        RoundStatus round = await admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = federation.Name,
            Vectors = [new VectorRequest { Length = length, Bits = bits }],
            MinimumClients = 5,
            StageDeadlineSeconds = 4,
        });

        // Only devices 0 and 1 show up.
        Task<ContributionResult>[] runs = await federation.RunAsync(service.ClientOptions(), round.RoundId, length, bits,
            new Dictionary<int, int> { [2] = 0, [3] = 0, [4] = 0 });

        RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("aborted", done.Status);
        Assert.Equal("TooFewClients", done.AbortReason);
        foreach (int i in new[] { 0, 1 })
        {
            var e = Assert.IsType<RoundAbortedException>(runs[i].Exception!.InnerException);
            Assert.Contains("TooFewClients", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_client_over_its_request_rate_is_told_to_slow_down()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:ClientRequestsPerSecond=1", "--Aggregator:ClientRequestBurst=2");
        using var http = new HttpClient { BaseAddress = service.Url };
        using var key = SeedKeyStore.For("rate", 0).LoadIdentity();
        var raw = new RawClient(http, key);
        var codes = new List<System.Net.HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage r = await http.SendAsync(raw.Signed(HttpMethod.Get, $"/v1/rounds/{new string('0', 32)}", null));
            codes.Add(r.StatusCode);
            if (r.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("rate-limited", await RawClient.ProblemCodeAsync(r));
            }
        }
        Assert.Equal([System.Net.HttpStatusCode.NotFound, System.Net.HttpStatusCode.NotFound], codes.Take(2));
        Assert.Contains(System.Net.HttpStatusCode.TooManyRequests, codes.Skip(2));
    }
}
