using System.Collections.Concurrent;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.HeProtocol.Messages;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// An HE round whose service (its own process) is killed with SIGKILL in the middle of H2 and restarted on the same
/// database: the server is rebuilt by replaying its log, every acknowledged upload is still there, the parties
/// (decryptors keep their key shares in memory) only retry, and the round completes with the exact sum.
/// </summary>
public sealed class HeKillRestartTests
{
    [Fact]
    public async Task A_service_killed_during_H2_resumes_from_its_log_and_completes_with_the_same_sum()
    {
        const int clients = 10, length = 32;
        using var folder = new TempFolder();
        string db = folder.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        ServiceProcess service = await ServiceProcess.StartAsync(db, url);
        try
        {
            string adminKey = File.ReadAllText(folder.File("securefed-admin.key")).Trim();
            using var admin = new SecureFedAdminClient(url, adminKey);
            TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
            RoundStatus round = await HeTestRound.OpenAsync(admin, federation, decryptors: 4, threshold: 3, length, deadlinesSeconds: [120, 120, 120, 120]);

            var uploaded = new ConcurrentDictionary<int, bool>();
            var halfUploaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Progress(int index, ContributionProgressEventArgs e)
            {
                if (e.Step == "sent" && e.Stage == (int)HeStage.Upload && uploaded.TryAdd(index, true) && uploaded.Count >= clients / 2)
                {
                    halfUploaded.TrySetResult();
                }
            }
            SecureFedClientOptions options = new()
            {
                ServerUrl = url,
                PollWait = TimeSpan.FromSeconds(5),
                MaxAttempts = 200,
                RetryBaseDelay = TimeSpan.FromMilliseconds(100),
                MaxRetryDelay = TimeSpan.FromMilliseconds(300),
                RequestTimeout = TimeSpan.FromSeconds(20),
            };
            Task<Task<ContributionResult>[]> run = HeTestRound.RunAsync(options, federation, round.RoundId, length, progress: Progress);

            await halfUploaded.Task.WaitAsync(TimeSpan.FromSeconds(60));
            service.Kill();
            int acknowledged = uploaded.Count; // answered 200 before the kill
            service.Dispose();
            service = await ServiceProcess.StartAsync(db, url);

            RoundStatus resumed = await admin.GetRoundAsync(round.RoundId, includeSums: false);
            Assert.Equal("he", resumed.Scheme);
            Assert.True(resumed.Status == "completed" || resumed.Stage > (int)HeStage.Upload || (resumed.Stage == (int)HeStage.Upload && resumed.Received >= acknowledged),
                $"after the restart: {resumed.Status}, stage {resumed.Stage}, {resumed.Received} received; {acknowledged} uploads were acknowledged");

            Task<ContributionResult>[] results = await run.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.All(results, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString() + service.Log));
            RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("completed", done.Status);
            Assert.Equal(federation.ClientIds, done.Survivors);
            Assert.Equal(HeTestRound.ExpectedSum(Enumerable.Range(0, clients), length), done.Sums![0]);
        }
        finally
        {
            service.Dispose();
        }
    }
}
