using Orleans.Runtime;
using Orleans.TestingHost;
using SecureFed.Client;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Protocol.Hosting;
using SecureFed.Transport.Admin;
using Xunit.Abstractions;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// One HE round spread over the three silos (docs/cluster-design.md section 2): three shard grains on different
/// silos check and add their clients' uploads, every upload is in its shard's stream and none in the root's, and the
/// root's sum of the partial ciphertext sums decrypts to the exact sum. Losing a silo that holds a shard during H2 ends
/// the round with the exact sum of its survivors or a typed abort, never a wrong sum.
/// </summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ShardedHeRoundTests(ClusterRoundsFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterRoundsFixture>
{
    private const int Clients = 9, Length = 32;

    [PostgresFact]
    public async Task An_HE_round_on_three_silos_adds_its_uploads_in_three_shards_and_decrypts_the_exact_sum()
    {
        using SecureFedAdminClient admin = fixture.Admin(0);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, Clients);
        RoundStatus opened = await devices.OpenHeAsync(admin, Length, decryptors: 3, threshold: 2);
        int silos = fixture.Cluster.GetActiveSilos().Count();
        Assert.Equal(silos, await fixture.ShardCountAsync(opened.RoundId));

        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.HeInput(i, Length));

        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await fixture.Admin(2).WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100));
        Assert.Equal("completed", done.Status);
        ulong[] expected = ClusterDevices.Sum(Enumerable.Range(0, Clients), i => ClusterDevices.HeInput(i, Length), Length);
        Assert.Equal(expected, done.Sums![0]);
        Assert.Equal(devices.ClientIds, done.Survivors);
        Assert.All(runs, r => Assert.Equal(expected, r.Result.Sum));

        SiloAddress[] shardSilos = await ShardSilosAsync(opened.RoundId, silos);
        Assert.Equal(silos, shardSilos.Distinct().Count());
        // Every envelope (the uploads among them) is in its client's shard stream, none in the root's, and the shards hold at least the nine uploads besides the decryptors' messages.
        long rootEnvelopes = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream = 0 AND kind = 1", ("id", opened.RoundId));
        long shardStreams = await fixture.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT stream) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream > 0 AND kind = 1", ("id", opened.RoundId));
        long envelopes = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream > 0 AND kind = 1", ("id", opened.RoundId));
        output.WriteLine($"round {opened.RoundId}: shards on {string.Join(", ", shardSilos.Select(s => s.ToString()))}; {envelopes} envelopes in {shardStreams} shard streams");
        Assert.Equal(0, rootEnvelopes);
        // Each shard with a roster client of its own logged (the round id is random: a shard may draw none of nine).
        int withClients = devices.ClientIds.Select(id => ShardMap.ShardOf(Convert.FromHexString(opened.RoundId), id, silos)).Distinct().Count();
        Assert.True(withClients > 1, "the shard map put all nine clients in one shard");
        Assert.Equal(withClients, shardStreams);
        Assert.True(envelopes >= Clients + 3 + 3 + 2, $"{envelopes} envelopes logged");
    }

    [PostgresFact]
    public async Task Killing_a_silo_that_holds_a_shard_during_H2_ends_the_round_exact_or_typed()
    {
        using SecureFedAdminClient admin = fixture.Admin(1);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, Clients);
        RoundStatus opened = await devices.OpenHeAsync(admin, Length, decryptors: 3, threshold: 2);
        int shards = await fixture.ShardCountAsync(opened.RoundId);
        Assert.True(shards > 1);
        SiloAddress[] before = await ShardSilosAsync(opened.RoundId, shards);
        SiloAddress root = await fixture.Cluster.Client.GetGrain<IRoundGrain>(opened.RoundId).Silo();
        // A shard's silo that is not the root's: this is the loss of a shard with uploads in it, not of the root.
        SiloAddress victimAddress = before.FirstOrDefault(s => !s.Equals(root)) ?? before[0];
        SiloHandle victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(victimAddress));

        Task? kill = null;
        int killed = 0;
        Task<ContributionResult>[] runs;
        try
        {
            // Kill when the first device has sent its upload (H2): uploads are being checked and added in the shards.
            runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.HeInput(i, Length), (_, e) =>
            {
                if (e.Step == "sent" && e.Stage == 2 && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    kill = Task.Run(() => fixture.Cluster.KillSiloAsync(victim));
                }
            });
            Assert.True(killed == 1, "no device sent its upload");
            await kill!;
        }
        finally
        {
            // The other tests on this fixture start on three silos again.
            if (kill is not null)
            {
                await kill;
                await fixture.Cluster.StartAdditionalSiloAsync();
            }
        }
        RoundStatus done = await fixture.Admin(2).WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(200));
        SiloAddress[] after = await ShardSilosAsync(opened.RoundId, shards);
        output.WriteLine($"round {opened.RoundId}: root on {root}; killed {victimAddress}; {done.Status} {done.AbortReason}; survivors {done.Survivors?.Count}; " +
            $"devices ok {runs.Count(r => r.IsCompletedSuccessfully)}/{runs.Length}");
        Assert.DoesNotContain(victimAddress, after);
        if (done.Status == "completed")
        {
            int[] survivors = [.. done.Survivors!.Select(id => devices.ClientIds.ToList().IndexOf(id))];
            Assert.DoesNotContain(-1, survivors);
            ulong[] expected = ClusterDevices.Sum(survivors, i => ClusterDevices.HeInput(i, Length), Length);
            Assert.Equal(expected, done.Sums![0]);
            for (int i = 0; i < runs.Length; i++)
            {
                if (runs[i].IsCompletedSuccessfully)
                {
                    Assert.Contains(devices.ClientIds[i], done.Survivors!); // acknowledged to completion: never lost
                    Assert.Equal(expected, runs[i].Result.Sum);
                }
            }
        }
        else
        {
            Assert.Equal("aborted", done.Status);
            Assert.False(string.IsNullOrEmpty(done.AbortReason));
            Assert.Null(done.Sums);
        }
    }

    private async Task<SiloAddress[]> ShardSilosAsync(string roundId, int shards) =>
        await Task.WhenAll(Enumerable.Range(0, shards).Select(i =>
            fixture.Cluster.Client.GetGrain<IRoundShardGrain>(ShardedRound.ShardKey(roundId, i)).Silo()));
}
