using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.HeProtocol.Messages;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>HE rounds over real HTTP: Kestrel on 127.0.0.1, a SQLite file, and the client library in both roles.</summary>
public sealed class HeRoundTests
{
    [Fact]
    public async Task Ten_clients_and_four_decryptors_complete_an_HE_round_with_the_exact_sum()
    {
        const int clients = 10, length = 32;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 4, threshold: 3, length);
        Assert.Equal("he", opened.Scheme);

        Task<ContributionResult>[] runs = await HeTestRound.RunAsync(service.ClientOptions(), federation, opened.RoundId, length);

        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        ulong[] expected = HeTestRound.ExpectedSum(Enumerable.Range(0, clients), length);
        Assert.Equal("completed", done.Status);
        Assert.Equal(expected, done.Sums![0]);
        Assert.Equal(federation.ClientIds, done.Survivors);
        Assert.Equal(2, done.Attempts); // the sum, then its check by a second decryptor set (he.md 10.7)
        // 4 decryptors, t = 3: the check set [1,2,4] shares two decryptors with [1,2,3], so the label says it overlapped.
        Assert.Equal("overlapping-subset", done.DecryptionCheck);
        Assert.Equal([], done.ExcludedDecryptors);
        Assert.All(runs, t => Assert.Equal(expected, t.Result.Sum));
        Assert.All(runs, t => Assert.Equal(HeDecryptionCheck.OverlappingSubset, t.Result.DecryptionCheck));
        Assert.All(runs, t => Assert.True(t.Result.Included));
    }

    // Device 6 goes offline once the collective key is announced (before uploading); H2 closes at its deadline.
    [Fact]
    public async Task A_client_that_drops_before_uploading_is_left_out_and_the_round_completes_with_the_others_sum()
    {
        const int clients = 8, length = 16, dropping = 6;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 3, threshold: 2, length, deadlinesSeconds: [30, 30, 6, 30]);

        Task<ContributionResult>[] runs = await HeTestRound.RunAsync(service.ClientOptions(), federation, opened.RoundId, length,
            stopWhen: (i, e) => i == dropping && e.Step == "received" && e.Stage == (int)HeStage.KeyShares);

        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        int[] inSum = [.. Enumerable.Range(0, clients).Where(i => i != dropping)];
        Assert.Equal("completed", done.Status);
        Assert.Equal(HeTestRound.ExpectedSum(inSum, length), done.Sums![0]);
        Assert.Equal(inSum.Select(i => federation.ClientIds[i]), done.Survivors);
        Assert.Equal([federation.ClientIds[dropping]], done.Dropped);
        Assert.True(runs[dropping].IsCanceled);
        Assert.All(inSum, i => Assert.True(runs[i].IsCompletedSuccessfully, runs[i].Exception?.ToString()));
    }

    // Decryptor 1 (device 0) is asked in attempt 1 and goes silent; H3 closes at its deadline and the retry asks
    // another set, which completes the round. Device 0 had uploaded, so its input stays in the sum.
    [Fact]
    public async Task A_decryptor_silent_in_H3_is_replaced_by_the_retry_and_the_round_completes()
    {
        const int clients = 8, length = 16;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 4, threshold: 3, length, deadlinesSeconds: [30, 30, 30, 6]);

        Task<ContributionResult>[] runs = await HeTestRound.RunAsync(service.ClientOptions(), federation, opened.RoundId, length,
            stopWhen: (i, e) => i == 0 && e.Step == "decryption-request");

        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(HeTestRound.ExpectedSum(Enumerable.Range(0, clients), length), done.Sums![0]);
        Assert.Equal(federation.ClientIds, done.Survivors);
        Assert.True(runs[0].IsCanceled);
        Assert.All(runs.Skip(1), t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
    }

    // Two of three decryptors never advertise (threshold 2): H0 closes at its deadline with one advertisement and the
    // server aborts; every waiting device learns why.
    [Fact]
    public async Task Too_few_decryptors_abort_the_round_and_the_waiting_devices_learn_why()
    {
        const int clients = 5, length = 8;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 3, threshold: 2, length, deadlinesSeconds: [5, 30, 30, 30]);

        Task<ContributionResult>[] runs = await HeTestRound.RunAsync(service.ClientOptions(), federation, opened.RoundId, length,
            stopWhen: (i, e) => i is 1 or 2 && e.Step == "configuration");

        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("aborted", done.Status);
        Assert.Equal(nameof(HeAbortReason.TooFewDecryptors), done.AbortReason);
        foreach (int i in new[] { 0, 3, 4 })
        {
            var e = Assert.IsType<RoundAbortedException>(runs[i].Exception?.InnerException);
            Assert.Equal(HeAbortReason.TooFewDecryptors, e.HeReason);
        }
    }

    // Two decryptors never show up, so the round waits in H0; the operator aborts it and every waiting device learns
    // why, with the HE reason 0 (the host's abort).
    [Fact]
    public async Task An_operator_abort_ends_a_waiting_HE_round_for_every_device()
    {
        const int clients = 4, length = 8;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 3, threshold: 2, length);
        var ready = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        var bothWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<Task<ContributionResult>[]> run = HeTestRound.RunAsync(service.ClientOptions(), federation, opened.RoundId, length,
            stopWhen: (i, e) => i is 1 or 2 && e.Step == "configuration",
            progress: (i, e) =>
            {
                // Device 0 (a decryptor) has advertised; device 3 (an uploader) is about to poll.
                if ((i == 0 && e.Step == "sent") || (i == 3 && e.Step == "configuration"))
                {
                    ready[i] = true;
                    if (ready.Count == 2)
                    {
                        bothWaiting.TrySetResult();
                    }
                }
            });
        await bothWaiting.Task.WaitAsync(TimeSpan.FromSeconds(30));

        RoundStatus aborted = await admin.AbortRoundAsync(opened.RoundId);
        Task<ContributionResult>[] runs = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("aborted", aborted.Status);
        Assert.Equal("he", aborted.Scheme);
        foreach (int i in new[] { 0, 3 })
        {
            var e = Assert.IsType<RoundAbortedException>(runs[i].Exception?.InnerException);
            Assert.Equal(HeAbortReason.OperatorAborted, e.HeReason);
            Assert.Contains("aborted by the operator", e.Message);
        }
        using var http = new HttpClient { BaseAddress = service.Url };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", service.AdminKey);
        string list = await http.GetStringAsync("/admin/v1/rounds");
        Assert.Contains(opened.RoundId, list);
        Assert.Contains("\"scheme\":\"he\"", list);
    }
}
