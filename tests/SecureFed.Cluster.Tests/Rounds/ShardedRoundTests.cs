using Orleans.Runtime;
using Orleans.TestingHost;
using SecureFed.Client;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Transport.Admin;
using Xunit.Abstractions;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// One masking round spread over the three silos: with no shard option a round opened on three silos has three shard
/// grains, placed on different silos, each with its own log stream; the round's sum is exact. Losing a silo that
/// holds a shard mid-round ends the round with the exact sum (or a typed abort), and nothing acknowledged is lost.
/// </summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ShardedRoundTests(ClusterRoundsFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterRoundsFixture>
{
    [PostgresFact]
    public async Task A_masking_round_on_three_silos_has_three_shards_on_several_silos_and_the_exact_sum()
    {
        const int clients = 12, length = 64;
        using SecureFedAdminClient admin = fixture.Admin(0);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenMaskingAsync(admin, length);
        RoundFacts facts = await fixture.Cluster.Client.GetGrain<IRoundGrain>(opened.RoundId).Facts();
        int silos = fixture.Cluster.GetActiveSilos().Count(); // three, or two once the other test here killed one
        Assert.Equal(silos, facts.ShardCount);

        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.MaskingInput(i, length));

        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await fixture.Admin(2).WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(100));
        Assert.Equal("completed", done.Status);
        Assert.Equal(ClusterDevices.Sum(Enumerable.Range(0, clients), i => ClusterDevices.MaskingInput(i, length), length), done.Sums![0]);
        Assert.Equal(devices.ClientIds, done.Survivors);

        SiloAddress[] shardSilos = await ShardSilosAsync(opened.RoundId, facts.ShardCount);
        output.WriteLine($"round {opened.RoundId}: shards on {string.Join(", ", shardSilos.Select(s => s.ToString()))}");
        Assert.Equal(silos, shardSilos.Distinct().Count()); // one shard per silo: the placement spreads them
        // Every client's envelopes are in its shard's stream (1..3), none in the root's (0), and every shard took some.
        long rootEnvelopes = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream = 0 AND kind = 1", ("id", opened.RoundId));
        long shardStreams = await fixture.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT stream) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream > 0 AND kind = 1", ("id", opened.RoundId));
        long envelopes = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND kind = 1", ("id", opened.RoundId));
        Assert.Equal(0, rootEnvelopes);
        Assert.Equal(silos, shardStreams);
        Assert.True(envelopes >= 4 * clients, $"{envelopes} envelopes logged");
    }

    [PostgresFact]
    public async Task Killing_a_silo_that_holds_a_shard_mid_round_ends_it_with_the_exact_sum_and_no_acknowledged_client_lost()
    {
        const int clients = 12, length = 64;
        using SecureFedAdminClient admin = fixture.Admin(1);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, clients);
        RoundStatus opened = await devices.OpenMaskingAsync(admin, length);
        RoundFacts facts = await fixture.Cluster.Client.GetGrain<IRoundGrain>(opened.RoundId).Facts();
        Assert.True(facts.ShardCount > 1);
        // Warm every shard up so the victim holds one before the round starts (activation is on first call).
        SiloAddress[] before = await ShardSilosAsync(opened.RoundId, facts.ShardCount);
        ShardActivation[] activationsBefore = await ShardActivationsAsync(opened.RoundId, facts.ShardCount);
        // Probes: 120 more shard keys of the round past its shard count (each activation answers "no round shard" and
        // replays nothing), placed round-robin like the shards, so about 80 live on survivors with directory entries
        // on every silo: with Orleans' default directory the ones whose entry the dead silo held would be deactivated by the kill.
        int[] probes = [.. Enumerable.Range(100, 120)];
        (SiloAddress Silo, ShardActivation Activation)[] probesBefore = await ProbesAsync(opened.RoundId, probes);
        SiloAddress root = await fixture.Cluster.Client.GetGrain<IRoundGrain>(opened.RoundId).Silo();
        // Prefer a shard's silo that is not the root's, so this is a shard loss rather than the root's.
        SiloAddress victimAddress = before.FirstOrDefault(s => !s.Equals(root)) ?? before[0];
        SiloHandle victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(victimAddress));

        Task? kill = null;
        int killed = 0;
        // Kill once the first device has its stage-1 messages (R1 closed: masked inputs are arriving at the shards).
        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, opened.RoundId, i => ClusterDevices.MaskingInput(i, length), (_, e) =>
        {
            if (e.Step == "received" && e.Stage == 1 && Interlocked.Exchange(ref killed, 1) == 0)
            {
                kill = Task.Run(() => fixture.Cluster.KillSiloAsync(victim));
            }
        });
        Assert.True(killed == 1, "the kill point was never reached");
        await kill!;
        RoundStatus done = await fixture.Admin(2).WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(200));
        SiloAddress[] after = await ShardSilosAsync(opened.RoundId, facts.ShardCount);
        output.WriteLine($"round {opened.RoundId}: root on {root}; killed {victimAddress}; shards {string.Join(", ", before.Select(s => s.ToString()))} -> " +
            $"{string.Join(", ", after.Select(s => s.ToString()))}; {done.Status} {done.AbortReason}; survivors {done.Survivors?.Count}; " +
            $"devices ok {runs.Count(r => r.IsCompletedSuccessfully)}/{runs.Length}");
        Assert.DoesNotContain(victimAddress, after);
        output.WriteLine(await LogSummaryAsync(opened.RoundId));
        // Only the dead silo's shards are rebuilt: a shard on a surviving silo keeps its activation (and so replays
        // nothing), whichever silo held its grain directory entry (the distributed grain directory recovers the dead
        // silo's directory ranges from the survivors' activations instead of deactivating them). The in-process kill
        // did not reproduce the old directory's deactivations (three processes with SIGKILL did: docs/cluster-design.md),
        // so this guards the behaviour rather than reproducing the old cost.
        await DeclaredDeadAsync(victimAddress); // the directory reacts to the death declaration, which may come after the round
        ShardActivation[] activationsAfter = await ShardActivationsAsync(opened.RoundId, facts.ShardCount);
        int[] survivorShards = [.. Enumerable.Range(0, facts.ShardCount).Where(i => !before[i].Equals(victimAddress))];
        int[] reactivated = [.. survivorShards.Where(i => activationsAfter[i].ActivationId != activationsBefore[i].ActivationId)];
        output.WriteLine($"shards on surviving silos: {survivorShards.Length}, activated again: {reactivated.Length} " +
            $"(replayed {string.Join(", ", reactivated.Select(i => $"shard {i}: {activationsAfter[i].Replayed} events"))}); " +
            $"the dead silo's shards replayed {string.Join(", ", Enumerable.Range(0, facts.ShardCount).Except(survivorShards).Select(i => activationsAfter[i].Replayed))} events");
        (SiloAddress Silo, ShardActivation Activation)[] probesAfter = await ProbesAsync(opened.RoundId, probes);
        int[] survivorProbes = [.. Enumerable.Range(0, probes.Length).Where(i => !probesBefore[i].Silo.Equals(victimAddress))];
        int probesReactivated = survivorProbes.Count(i => probesAfter[i].Activation.ActivationId != probesBefore[i].Activation.ActivationId);
        output.WriteLine($"probe grains on surviving silos: {survivorProbes.Length}, activated again: {probesReactivated}");
        Assert.Empty(reactivated);
        Assert.Equal(0, probesReactivated);
        if (done.Sums is { } sums)
        {
            ulong[] expected = ClusterDevices.Sum(Enumerable.Range(0, clients), i => ClusterDevices.MaskingInput(i, length), length);
            output.WriteLine($"sum - expected (first 4): {string.Join(", ", Enumerable.Range(0, 4).Select(k => (sums[0][k] - expected[k]) & 0xFFFF_FFFFUL))}");
        }

        if (done.Status == "completed")
        {
            int[] survivors = [.. done.Survivors!.Select(id => devices.ClientIds.ToList().IndexOf(id))];
            Assert.DoesNotContain(-1, survivors);
            Assert.Equal(ClusterDevices.Sum(survivors, i => ClusterDevices.MaskingInput(i, length), length), done.Sums![0]);
            // Nothing acknowledged is lost: every device that finished its part (all its messages acknowledged) is a survivor.
            for (int i = 0; i < runs.Length; i++)
            {
                if (runs[i].IsCompletedSuccessfully)
                {
                    Assert.Contains(devices.ClientIds[i], done.Survivors!);
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

    // Events per stream and kind (diagnostics for a failure).
    private async Task<string> LogSummaryAsync(string roundId)
    {
        var lines = new List<string>();
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT stream, kind, count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') GROUP BY stream, kind ORDER BY stream, kind");
        command.Parameters.AddWithValue("id", roundId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add($"stream {reader.GetInt32(0)} kind {reader.GetInt16(1)}: {reader.GetInt64(2)}");
        }
        await using var order = fixture.Database.DataSource.CreateCommand(
            "SELECT stream, string_agg(kind::text, ' ' ORDER BY seq) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') GROUP BY stream ORDER BY stream");
        order.Parameters.AddWithValue("id", roundId);
        await using var r2 = await order.ExecuteReaderAsync();
        while (await r2.ReadAsync())
        {
            lines.Add($"stream {r2.GetInt32(0)}: {r2.GetString(1)}");
        }
        return string.Join("\n", lines);
    }

    private async Task<ShardActivation[]> ShardActivationsAsync(string roundId, int shards) =>
        await Task.WhenAll(Enumerable.Range(0, shards).Select(i =>
            fixture.Cluster.Client.GetGrain<IRoundShardGrain>(ShardedRound.ShardKey(roundId, i)).Activation()));

    // Waits until the cluster's membership has declared the silo dead, then a moment for every silo to apply it.
    private async Task DeclaredDeadAsync(SiloAddress victim)
    {
        IManagementGrain management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        for (int i = 0; i < 300 && (await management.GetHosts(onlyActive: true)).ContainsKey(victim); i++)
        {
            await Task.Delay(100);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    private async Task<(SiloAddress, ShardActivation)[]> ProbesAsync(string roundId, int[] keys) =>
        await Task.WhenAll(keys.Select(async k =>
        {
            IRoundShardGrain probe = fixture.Cluster.Client.GetGrain<IRoundShardGrain>(ShardedRound.ShardKey(roundId, k));
            return (await probe.Silo(), await probe.Activation());
        }));

    private async Task<SiloAddress[]> ShardSilosAsync(string roundId, int shards) =>
        await Task.WhenAll(Enumerable.Range(0, shards).Select(i =>
            fixture.Cluster.Client.GetGrain<IRoundShardGrain>(ShardedRound.ShardKey(roundId, i)).Silo()));
}
