using System.Collections.Concurrent;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// The service runs in its own process and is killed with SIGKILL twice mid-round (during R1 and during R2), then
/// restarted on the same database each time. Clients only retry; the round must complete with every client in the
/// sum, so nothing that was acknowledged was lost.
/// </summary>
public sealed class KillRestartTests
{
    [Fact]
    public async Task A_service_killed_twice_mid_round_resumes_from_its_database_and_completes_with_the_correct_sum()
    {
        const int clients = 10, length = 512, bits = 32;
        using var folder = new TempFolder();
        string db = folder.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        ServiceProcess service = await ServiceProcess.StartAsync(db, url);
        try
        {
            string adminKey = File.ReadAllText(folder.File("securefed-admin.key")).Trim();
            using var admin = new SecureFedAdminClient(url, adminKey);
            TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
            RoundStatus round = await federation.OpenRoundAsync(admin, length, bits, deadlineSeconds: 120);

            var sent = new ConcurrentDictionary<(int Stage, int Client), bool>();
            var halfSentR1 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var halfSentR2 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Progress(int index, ContributionProgressEventArgs e)
            {
                if (e.Step != "sent" || !sent.TryAdd((e.Stage, index), true))
                {
                    return;
                }
                int count = sent.Keys.Count(k => k.Stage == e.Stage);
                if (count >= clients / 2)
                {
                    (e.Stage == 1 ? halfSentR1 : e.Stage == 2 ? halfSentR2 : null)?.TrySetResult();
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
            Task<Task<ContributionResult>[]> run = federation.RunAsync(options, round.RoundId, length, bits, progress: Progress);

            foreach (var (trigger, stage) in new[] { (halfSentR1, 1), (halfSentR2, 2) })
            {
                await trigger.Task.WaitAsync(TimeSpan.FromSeconds(60));
                service.Kill();
                int acknowledged = sent.Keys.Count(k => k.Stage == stage); // answered 200 before the kill
                service.Dispose();
                service = await ServiceProcess.StartAsync(db, url);

                // The restarted service resumed the round from its database, with every acknowledged message.
                RoundStatus resumed = await admin.GetRoundAsync(round.RoundId, includeSums: false);
                // The retrying clients may already have finished the round by the time this status is read: completed,
                // or running with no stage open (the last stage closed and its outcome is being stored).
                Assert.Contains(resumed.Status, (string[])["running", "completed"]);
                bool pastLastStage = resumed.Status == "completed" || resumed.Stage is null;
                Assert.True(pastLastStage || resumed.Stage > stage || (resumed.Stage == stage && resumed.Received >= acknowledged),
                    $"after the restart: stage {resumed.Stage}, {resumed.Received} received; {acknowledged} stage-{stage} messages were acknowledged");
            }

            Task<ContributionResult>[] results = await run.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.All(results, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString() + service.Log));
            RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("completed", done.Status);
            Assert.Equal(federation.ClientIds, done.Survivors);
            Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, clients), length, bits), done.Sums![0]);
        }
        finally
        {
            service.Dispose();
        }
    }
}
