using Microsoft.Extensions.DependencyInjection;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// The quiet close rule (transport.md, open-round request) over a real service (Kestrel on 127.0.0.1, SQLite): a stage
/// whose quorum is in and that has been quiet for the period closes before its deadline, with the same close a deadline
/// makes (exact sum over the survivors); below the quorum it waits for the deadline; bad values are refused with a typed
/// problem naming the field; without the rule nothing changes; the rule survives a restart (stored with the round).
/// </summary>
public sealed class QuietCloseTests
{
    private const int Length = 12, Bits = 32;

    [Fact]
    public async Task A_round_with_dropouts_closes_R2_by_the_quiet_rule_long_before_its_deadline_with_the_exact_sum()
    {
        const int clients = 20;
        int[] dropouts = [4, 13]; // offline after their share delivery, before the masked input (R2)
        var logs = new CapturedLogs();
        await using LiveAggregator service = await LiveAggregator.StartAsync(logs);
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await admin.OpenRoundAsync(Request(federation, r =>
        {
            r.StageDeadlineSeconds = 300; // a deadline close would outlast the test's patience: only the quiet rule closes R2
            r.StageQuietCloseSeconds = [0, 0, 3, 0, 0];
            r.QuietCloseQuorum = 0.8;
        }));
        Assert.Equal([0.0, 0, 3, 0, 0], opened.QuietCloseSeconds);
        Assert.Equal(0.8, opened.QuietCloseQuorum);
        Assert.Null(opened.StageQuorum); // R0: the rule is off for it

        await federation.RunAsync(service.ClientOptions(), opened.RoundId, Length, Bits, dropouts.ToDictionary(i => i, _ => 2));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50), patience.Token);

        Assert.Equal("completed", done.Status);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, clients).Except(dropouts), Length, Bits), done.Sums!.Single());
        Assert.Equal(dropouts.Select(i => federation.ClientIds[i]).Order(), done.Dropped!.Order());
        string[] closes = StageCloses(logs, opened.RoundId);
        Assert.Contains($"stage 2 closed (quiet): {clients - dropouts.Length}/{clients}", closes.Single(c => c.Contains("stage 2 ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(closes, c => c.Contains("(deadline)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_quiet_rule_never_closes_a_stage_below_its_quorum_and_the_quorum_is_never_below_the_threshold()
    {
        const int clients = 10;
        int[] dropouts = [2, 7]; // R2 receives 8 of 10: below a 0.9 quorum (9)
        var logs = new CapturedLogs();
        await using LiveAggregator service = await LiveAggregator.StartAsync(logs);
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await admin.OpenRoundAsync(Request(federation, r =>
        {
            r.StageDeadlinesSeconds = [60, 60, 15, 60, 60];
            r.QuietCloseSeconds = 0.3;
            r.QuietCloseQuorum = 0.9;
        }));
        Assert.Equal(9, opened.StageQuorum); // R0 expects all 10: ceil(0.9 x 10)

        Task<Task<ContributionResult>[]> run = federation.RunAsync(service.ClientOptions(), opened.RoundId, Length, Bits, dropouts.ToDictionary(i => i, _ => 2));
        RoundStatus r2 = await WaitUntilAsync(admin, opened.RoundId, s => s.Stage == 2 && s.Received == clients - dropouts.Length);
        Assert.Equal(9, r2.StageQuorum);
        await Task.Delay(TimeSpan.FromSeconds(2)); // more than six quiet periods with 8 received: still open
        RoundStatus still = await admin.GetRoundAsync(opened.RoundId);
        Assert.Equal(("running", 2, 8), (still.Status, still.Stage, still.Received));

        await run;
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, clients).Except(dropouts), Length, Bits), done.Sums!.Single());
        Assert.Contains(StageCloses(logs, opened.RoundId), c => c.Contains("stage 2 closed (deadline): 8/10", StringComparison.Ordinal));

        // Without a fraction the quorum is the round's own minimum: its threshold t (minClients defaults to t).
        RoundStatus bare = await admin.OpenRoundAsync(Request(federation, r => r.QuietCloseSeconds = 1));
        Assert.Equal(bare.Threshold, bare.StageQuorum);
        Assert.Null(bare.QuietCloseQuorum);
        // A fraction below the threshold does not lower it.
        RoundStatus low = await admin.OpenRoundAsync(Request(federation, r => (r.QuietCloseSeconds, r.QuietCloseQuorum) = (1, 0.1)));
        Assert.Equal(low.Threshold, low.StageQuorum);
    }

    [Fact]
    public async Task Invalid_quiet_close_values_are_refused_with_a_typed_problem_naming_the_field_and_nothing_opens()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 4);

        async Task<ConfigurationError> Refused(Action<OpenRoundRequest> set)
        {
            var e = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(Request(federation, set)));
            Assert.Equal("invalid-configuration", e.Code);
            return e.InvalidConfiguration!;
        }

        Assert.Equal(new ConfigurationError("QuietCloseSeconds", "in (0, 86400] seconds", "0"), await Refused(r => r.QuietCloseSeconds = 0));
        Assert.Equal("QuietCloseSeconds", (await Refused(r => r.QuietCloseSeconds = 90_000)).Field);
        Assert.Equal(new ConfigurationError("StageQuietCloseSeconds[3]", "in [0, 86400] seconds (0: off for the stage)", "-1"),
            await Refused(r => r.StageQuietCloseSeconds = [0, 0, 2, -1]));
        Assert.Equal(new ConfigurationError("StageQuietCloseSeconds", "at most 5 entries (one per stage of the scheme)", "6"),
            await Refused(r => r.StageQuietCloseSeconds = [1, 1, 1, 1, 1, 1]));
        Assert.Equal(new ConfigurationError("QuietCloseQuorum", "in (0, 1] (a fraction of the stage's expected senders)", "1.5"),
            await Refused(r => (r.QuietCloseSeconds, r.QuietCloseQuorum) = (1, 1.5)));
        Assert.Equal("QuietCloseQuorum", (await Refused(r => (r.QuietCloseSeconds, r.QuietCloseQuorum) = (1, 0))).Field);
        Assert.Equal("QuietCloseQuorum", (await Refused(r => r.QuietCloseQuorum = 0.5)).Field); // a quorum without a period

        Assert.Equal(0, service.Services.GetRequiredService<RoundCoordinator>().Count);
    }

    [Fact]
    public async Task Without_the_rule_a_stage_with_dropouts_closes_at_its_deadline_as_before()
    {
        const int clients = 8;
        int[] dropouts = [5];
        var logs = new CapturedLogs();
        await using LiveAggregator service = await LiveAggregator.StartAsync(logs);
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await admin.OpenRoundAsync(Request(federation, r => r.StageDeadlinesSeconds = [60, 60, 5, 60, 60]));
        Assert.Equal((null, null, (int?)null), (opened.QuietCloseSeconds, opened.QuietCloseQuorum, opened.StageQuorum));

        await federation.RunAsync(service.ClientOptions(), opened.RoundId, Length, Bits, dropouts.ToDictionary(i => i, _ => 2));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));

        Assert.Equal("completed", done.Status);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, clients).Except(dropouts), Length, Bits), done.Sums!.Single());
        Assert.Contains(StageCloses(logs, opened.RoundId), c => c.Contains("stage 2 closed (deadline): 7/8", StringComparison.Ordinal));
        Assert.DoesNotContain(StageCloses(logs, opened.RoundId), c => c.Contains("(quiet)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_rule_is_stored_with_the_round_and_comes_back_after_a_restart()
    {
        LiveAggregator service = await LiveAggregator.StartAsync();
        try
        {
            using SecureFedAdminClient admin = service.Admin();
            TestFederation federation = await TestFederation.EnrolAsync(admin, 6);
            RoundStatus opened = await admin.OpenRoundAsync(Request(federation, r => (r.StageQuietCloseSeconds, r.QuietCloseQuorum) = ([2.5, 0, 1.25], 0.75)));
            service = await service.RestartAsync();
            using SecureFedAdminClient again = service.Admin();
            RoundStatus resumed = await again.GetRoundAsync(opened.RoundId);
            Assert.Equal(("running", 0), (resumed.Status, resumed.Stage));
            Assert.Equal([2.5, 0, 1.25, 0, 0], resumed.QuietCloseSeconds);
            Assert.Equal(0.75, resumed.QuietCloseQuorum);
            Assert.Equal(5, resumed.StageQuorum); // ceil(0.75 x 6) = 5 >= t
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Killed_right_after_a_quiet_close_is_logged_the_restarted_service_completes_the_round_with_the_exact_sum()
    {
        const int clients = 6, dropout = 4;
        using var folder = new TempFolder();
        string db = folder.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        // SIGKILL right after R2's close row commits: with a 120 s deadline only the quiet rule closes R2 within the wait.
        ServiceProcess service = await ServiceProcess.StartAsync(db, url, new Dictionary<string, string> { ["SECUREFED_TEST_KILL_AFTER"] = "close:2" });
        try
        {
            using var admin = new SecureFedAdminClient(url, File.ReadAllText(folder.File("securefed-admin.key")).Trim());
            TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
            RoundStatus opened = await admin.OpenRoundAsync(Request(federation, r =>
            {
                r.StageDeadlineSeconds = 120;
                r.StageQuietCloseSeconds = [0, 0, 1];
                r.QuietCloseQuorum = 0.5;
            }));
            SecureFedClientOptions options = ServiceProcess.PatientClientOptions(url);
            Task<Task<ContributionResult>[]> run = federation.RunAsync(options, opened.RoundId, Length, Bits, new Dictionary<int, int> { [dropout] = 2 });

            int exit = await service.ExitedAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(exit == 137, $"the service should have killed itself after R2's close; it exited with {exit}:\n{service.Log}");
            service.Dispose();
            service = await ServiceProcess.StartAsync(db, url);

            RoundStatus resumed = await admin.GetRoundAsync(opened.RoundId, includeSums: false);
            Assert.True(resumed.Status == "completed" || resumed.Stage >= 3, $"after the restart: {resumed.Status} at stage {resumed.Stage}");
            Assert.Equal([0.0, 0, 1, 0, 0], resumed.QuietCloseSeconds);
            await run.WaitAsync(TimeSpan.FromSeconds(150));
            RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100)).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("completed", done.Status);
            Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, clients).Where(i => i != dropout), Length, Bits), done.Sums!.Single());
            Assert.Equal(new[] { federation.ClientIds[dropout] }, done.Dropped!);
        }
        finally
        {
            service.Dispose();
        }
    }

    private static OpenRoundRequest Request(TestFederation federation, Action<OpenRoundRequest> set)
    {
        var request = new OpenRoundRequest { Federation = federation.Name, Vectors = [new VectorRequest { Length = Length, Bits = Bits }], StageDeadlineSeconds = 60 };
        set(request);
        return request;
    }

    // The service's StageClosed events of the round, formatted ("round R stage S closed (CAUSE): received/expected ...").
    private static string[] StageCloses(CapturedLogs logs, string roundId) =>
        [.. logs.Events.Where(e => e.Id.Id == AggregatorEventIds.StageClosed && e.Message.Contains(roundId, StringComparison.Ordinal)).Select(e => e.Message)];

    private static async Task<RoundStatus> WaitUntilAsync(SecureFedAdminClient admin, string roundId, Func<RoundStatus, bool> until)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            RoundStatus s = await admin.GetRoundAsync(roundId, cancellationToken: patience.Token);
            if (until(s))
            {
                return s;
            }
            await Task.Delay(20, patience.Token);
        }
    }
}
