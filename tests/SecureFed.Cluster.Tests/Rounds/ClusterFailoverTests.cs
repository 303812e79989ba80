using Orleans.Runtime;
using Orleans.TestingHost;
using SecureFed.Client;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Transport.Admin;
using Xunit.Abstractions;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// The silo holding a running round's grain is killed mid-round: the survivors take the round over from its log in
/// PostgreSQL. The round completes with the exact sum of its survivors, or aborts with a typed reason; a wrong sum
/// is never published.
/// </summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ClusterFailoverTests(ClusterRoundsFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterRoundsFixture>
{
    [PostgresFact]
    public async Task Killing_the_silo_of_a_masking_round_in_stage_2_ends_it_with_the_exact_sum_or_a_typed_abort()
    {
        const int clients = 12, length = 64;
        using SecureFedAdminClient admin = fixture.Admin(0);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenMaskingAsync(admin, length);
        // Kill when the first device received its stage-1 messages (R1 closed; masked inputs are arriving).
        RoundStatus done = await RunWithKillAsync(devices, opened.RoundId, i => ClusterDevices.MaskingInput(i, length),
            e => e.Step == "received" && e.Stage == 1);

        CheckExactOrTyped(done, devices, i => ClusterDevices.MaskingInput(i, length), length);
    }

    [PostgresFact]
    public async Task Killing_the_silo_of_an_HE_round_after_the_key_ends_it_with_the_exact_sum_or_a_typed_abort()
    {
        const int clients = 10, length = 32;
        using SecureFedAdminClient admin = fixture.Admin(1);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenHeAsync(admin, length, decryptors: 4, threshold: 3);
        RoundStatus done = await RunWithKillAsync(devices, opened.RoundId, i => ClusterDevices.HeInput(i, length),
            e => e.Step == "received" && e.Stage == 1);

        CheckExactOrTyped(done, devices, i => ClusterDevices.HeInput(i, length), length);
    }

    private async Task<RoundStatus> RunWithKillAsync(ClusterDevices devices, string roundId, Func<int, ulong[]> input,
        Func<ContributionProgressEventArgs, bool> killWhen)
    {
        IRoundGrain grain = fixture.Cluster.Client.GetGrain<IRoundGrain>(roundId);
        SiloAddress before = await grain.Silo();
        SiloHandle victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(before));
        Task? kill = null;
        int killed = 0;
        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, roundId, input, (_, e) =>
        {
            if (killWhen(e) && Interlocked.Exchange(ref killed, 1) == 0)
            {
                kill = Task.Run(() => fixture.Cluster.KillSiloAsync(victim));
            }
        });
        Assert.True(killed == 1, "the kill point was never reached");
        await kill!;
        using SecureFedAdminClient other = fixture.Admin(2);
        RoundStatus done = await other.WaitForRoundAsync(roundId, TimeSpan.FromMilliseconds(200));
        SiloAddress after = await grain.Silo();
        Assert.NotEqual(before, after);
        output.WriteLine($"round {roundId}: killed {before}, now on {after}; {done.Status} {done.AbortReason} " +
            $"survivors {done.Survivors?.Count}; devices ok {runs.Count(r => r.IsCompletedSuccessfully)}/{runs.Length}");
        return done;
    }

    private static void CheckExactOrTyped(RoundStatus done, ClusterDevices devices, Func<int, ulong[]> input, int length)
    {
        if (done.Status == "completed")
        {
            int[] survivors = [.. done.Survivors!.Select(id => devices.ClientIds.ToList().IndexOf(id))];
            Assert.DoesNotContain(-1, survivors);
            Assert.Equal(ClusterDevices.Sum(survivors, input, length), done.Sums![0]);
        }
        else
        {
            Assert.Equal("aborted", done.Status);
            Assert.False(string.IsNullOrEmpty(done.AbortReason));
            Assert.Null(done.Sums);
        }
    }
}
