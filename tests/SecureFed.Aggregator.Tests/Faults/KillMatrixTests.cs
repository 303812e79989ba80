using System.Collections.Concurrent;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Faults;

/// <summary>
/// Fault matrix, kill -9 at every durable step: the service (its own process, Kestrel + SQLite) kills itself with
/// SIGKILL right after one chosen commit of the round store (an accepted envelope logged, a stage close logged, the
/// outcome stored; the service's test switch SECUREFED_TEST_KILL_AFTER), is restarted on the same database without
/// the switch, and the devices only retry. Every case must end with the exact sum of its survivors or a typed abort,
/// and no acknowledged request (a 2xx the devices saw before the kill) may be lost: the restarted round holds every
/// acknowledged message of the stage it was in, and every device whose contribution was acknowledged is in the sum.
/// The default suite runs three of the 18 cases; SECUREFED_FAULT_MATRIX=full (eng/fault-matrix.sh) runs them all.
/// </summary>
public sealed class KillMatrixTests
{
    private const int Clients = 6, Length = 50, Bits = 32, HeDecryptors = 3, HeThreshold = 2;

    /// <summary>(scheme, stage, step): masking R0..R4 and HE H0..H3, each after an envelope is logged, each but the last
    /// after its close is logged, the last after the outcome is stored.</summary>
    public static TheoryData<string, string, string> Cases()
    {
        var all = new TheoryData<string, string, string>();
        foreach (var (scheme, stages) in new[] { ("masking", new[] { "R0", "R1", "R2", "R3", "R4" }), ("he", ["H0", "H1", "H2", "H3"]) })
        {
            foreach (string stage in stages)
            {
                all.Add(scheme, stage, "envelope-logged");
                all.Add(scheme, stage, stage == stages[^1] ? "outcome-stored" : "close-logged");
            }
        }
        if (Environment.GetEnvironmentVariable("SECUREFED_FAULT_MATRIX") == "full")
        {
            return all;
        }
        // The default suite: a masked input durable but unanswered at the kill, and in each scheme a round whose outcome
        // is durable but was never published (the device whose envelope ended the round retries it against the ended
        // round: the case that found the resend defect fixed with this matrix).
        return new TheoryData<string, string, string>
        {
            { "masking", "R2", "envelope-logged" }, { "masking", "R4", "outcome-stored" }, { "he", "H3", "outcome-stored" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Killed_after_a_durable_step_the_restarted_service_ends_exactly_and_loses_no_acknowledged_request(string scheme, string stage, string step)
    {
        bool he = scheme == "he";
        int stageIndex = stage[1] - '0';
        using var folder = new TempFolder();
        string db = folder.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        var kill = new Dictionary<string, string> { ["SECUREFED_TEST_KILL_AFTER"] = KillSpec(he, stageIndex, step) };
        ServiceProcess service = await ServiceProcess.StartAsync(db, url, kill);
        try
        {
            string adminKey = File.ReadAllText(folder.File("securefed-admin.key")).Trim();
            using var admin = new SecureFedAdminClient(url, adminKey);
            TestFederation federation = await TestFederation.EnrolAsync(admin, Clients);
            RoundStatus round = he
                ? await HeTestRound.OpenAsync(admin, federation, HeDecryptors, HeThreshold, Length, deadlinesSeconds: [120, 120, 120, 120])
                : await federation.OpenRoundAsync(admin, Length, Bits, deadlineSeconds: 120);

            // Every 2xx a device saw: the client raises "sent" only after the service answered its message with 2xx.
            var acknowledged = new ConcurrentDictionary<(int Stage, int Device), bool>();
            void Progress(int device, ContributionProgressEventArgs e)
            {
                if (e.Step == "sent")
                {
                    acknowledged.TryAdd((e.Stage, device), true);
                }
            }
            SecureFedClientOptions options = ServiceProcess.PatientClientOptions(url);
            Task<Task<ContributionResult>[]> run = he
                ? HeTestRound.RunAsync(options, federation, round.RoundId, Length, progress: Progress)
                : federation.RunAsync(options, round.RoundId, Length, Bits, progress: Progress);

            int exit = await service.ExitedAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(exit == 137, $"the service should have killed itself (SIGKILL, 137) after {step} at {stage}; it exited with {exit}:\n{service.Log}");
            var ackedBeforeKill = acknowledged.Keys.ToList(); // the process is gone: no 2xx after this
            service.Dispose();
            service = await ServiceProcess.StartAsync(db, url);

            // The restarted round holds every message acknowledged in the stage it is in.
            RoundStatus resumed = await admin.GetRoundAsync(round.RoundId, includeSums: false);
            if (resumed is { Status: "running", Stage: int at })
            {
                int acked = ackedBeforeKill.Count(k => k.Stage == at);
                Assert.True(resumed.Received >= acked, $"after the restart at stage {at}: {resumed.Received} received, {acked} were acknowledged");
                Assert.True(at >= stageIndex, $"the round went back from stage {stageIndex} to {at}");
            }

            Task<ContributionResult>[] devices = await run.WaitAsync(TimeSpan.FromSeconds(150));
            RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).WaitAsync(TimeSpan.FromSeconds(60));
            const int contributionStage = 2; // masking R2 (masked input), HE H2 (upload)
            if (done.Status == "completed")
            {
                Assert.All(devices, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString() + service.Log));
                IReadOnlyList<uint> survivors = done.Survivors!;
                int[] survivorDevices = [.. Enumerable.Range(0, Clients).Where(i => survivors.Contains(federation.ClientIds[i]))];
                foreach (var (_, device) in ackedBeforeKill.Where(k => k.Stage == contributionStage))
                {
                    Assert.Contains(federation.ClientIds[device], survivors);
                }
                ulong[] expected = he ? HeTestRound.ExpectedSum(survivorDevices, Length) : TestFederation.ExpectedSum(survivorDevices, Length, Bits);
                Assert.Equal(expected, done.Sums![0]);
            }
            else
            {
                // A typed abort: the round names its reason and every device ended with RoundAbortedException.
                Assert.Equal("aborted", done.Status);
                Assert.False(string.IsNullOrEmpty(done.AbortReason));
                Assert.All(devices, t => Assert.IsType<RoundAbortedException>(t.Exception?.InnerException));
            }
        }
        finally
        {
            service.Dispose();
        }
    }

    // The switch's value: masking stage labels are "0".."4", HE "H0".."H3"; an envelope kill follows the second
    // envelope of a decryptors-only HE stage (H0, H1: 3 senders), the first decryption share, or the third of six.
    private static string KillSpec(bool he, int stage, string step) => step switch
    {
        "envelope-logged" => $"envelope:{(he ? "H" : "")}{stage}:{(!he ? 3 : stage == 3 ? 1 : stage == 2 ? 3 : 2)}",
        "close-logged" => $"close:{(he ? "H" : "")}{stage}",
        "outcome-stored" => "outcome",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };
}
