using Orleans.Runtime;
using SecureFed.Client;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Tests.Support;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Transport;
using SecureFed.Transport.Admin;
using Xunit.Abstractions;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>
/// A sharded masking round that ends aborted after its shards accepted messages (masked inputs among them), by the
/// operator or by falling below the threshold: the round is aborted with its typed reason, every shard refuses new
/// envelopes with the typed round-closed refusal, nothing is revealed (no sum, no result, no shard's partial sum in the
/// root's log), and the stored logs stay as they were and still replay: once every activation is collected, the round
/// and its shards come back from PostgreSQL aborted, and the shards still refuse.
/// </summary>
[Collection(ClusterRoundsCollection.Name)]
public sealed class ShardedAbortTests(ClusterRoundsFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterRoundsFixture>
{
    private const int Clients = 12, Length = 32;

    [PostgresFact]
    public async Task An_operator_abort_after_the_shards_took_masked_inputs_ends_the_round_aborted_and_every_shard_refuses()
    {
        using SecureFedAdminClient admin = fixture.Admin(0);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, Clients);
        // Long deadlines: stage 2 stays open, waiting for the device that never sends its masked input, until the abort.
        RoundStatus opened = await admin.OpenRoundAsync(Masking(devices, threshold: null, deadlines: [300, 300, 300, 300, 300]));
        string roundId = opened.RoundId;
        int shards = await fixture.ShardCountAsync(roundId);
        Assert.True(shards > 1, $"{shards} shards");

        Task<Task<ContributionResult>[]> running = devices.RunAsync(fixture, roundId, Input, quitsBefore: i => i == Clients - 1 ? 2 : null);
        await WaitForReceivedAsync(roundId, shards, close: 2, Clients - 1);
        // A shard counts an envelope before its append commits: wait for the log too, so the counts below are final.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (await CountAsync(roundId, null, ShardLogKinds.Envelope) < 2 * Clients + Clients - 1)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
        long[] before = await EventCountsAsync(roundId, shards);

        RoundStatus aborted = await fixture.Admin(1).AbortRoundAsync(roundId);
        Assert.Equal("aborted", aborted.Status);
        Task<ContributionResult>[] runs = await running;
        output.WriteLine($"devices: {string.Join(", ", runs.Select(r => r.Status == TaskStatus.Faulted ? r.Exception!.InnerException!.GetType().Name : r.Status.ToString()))}");
        Assert.DoesNotContain(runs, r => r.IsCompletedSuccessfully);
        // The devices waiting for close 2 learn the round was aborted (typed), not a timeout.
        Assert.All(runs.Take(Clients - 1), r => Assert.IsType<RoundAbortedException>(r.Exception?.InnerException));

        await AssertAbortedAsync(roundId, shards, devices, nameof(AbortReason.ServerAborted));
        Assert.Equal(1, await CountAsync(roundId, 0, RoundLogKinds.Abort));
        Assert.Equal(2, await CountAsync(roundId, 0, RoundLogKinds.Decided)); // closes 0 and 1 only
        Assert.Equal(2 * Clients + Clients - 1, await CountAsync(roundId, null, ShardLogKinds.Envelope)); // R0, R1 from all; R2 from 11
        long[] after = await EventCountsAsync(roundId, shards);
        Assert.Equal(before[1..], after[1..]); // the shards' logs are untouched by the abort
        Assert.Equal(before[0] + 1, after[0]); // the root's log gained exactly the abort

        await AssertReplaysAbortedAsync(roundId, shards, devices, nameof(AbortReason.ServerAborted), after);
    }

    [PostgresFact]
    public async Task A_sharded_round_that_falls_below_its_threshold_after_the_masked_inputs_aborts_too_few_clients_and_reveals_nothing()
    {
        const int threshold = 8, quitters = 5;
        using SecureFedAdminClient admin = fixture.Admin(2);
        ClusterDevices devices = await ClusterDevices.EnrolAsync(admin, Clients);
        // Stages 0-2 close when all are in; stage 3 closes at its deadline with 7 of 12 consistency messages, below t = 8.
        RoundStatus opened = await admin.OpenRoundAsync(Masking(devices, threshold, deadlines: [300, 300, 300, 8, 300]));
        string roundId = opened.RoundId;
        int shards = await fixture.ShardCountAsync(roundId);
        Assert.True(shards > 1, $"{shards} shards");

        Task<ContributionResult>[] runs = await devices.RunAsync(fixture, roundId, Input, quitsBefore: i => i < quitters ? 3 : null);
        output.WriteLine($"devices: {string.Join(", ", runs.Select(r => r.Status == TaskStatus.Faulted ? r.Exception!.InnerException!.GetType().Name : r.Status.ToString()))}");
        Assert.DoesNotContain(runs, r => r.IsCompletedSuccessfully);
        // The devices still in learn the round was aborted and why (the server's abort notice).
        Assert.All(runs.Skip(quitters), r => Assert.Contains(nameof(AbortReason.TooFewClients),
            Assert.IsType<RoundAbortedException>(r.Exception?.InnerException).Message, StringComparison.Ordinal));

        await AssertAbortedAsync(roundId, shards, devices, nameof(AbortReason.TooFewClients));
        // Every shard took all 12 masked inputs before the round fell short.
        Assert.Equal(3 * Clients + Clients - quitters, await CountAsync(roundId, null, ShardLogKinds.Envelope));
        // The shards' results for the aborting close (the root's last Completed) carry no partial sum: none left a shard.
        byte[][] completed = await PayloadsAsync(roundId, 0, RoundLogKinds.Completed);
        Assert.Equal(4, completed.Length); // closes 0..3, the last one the abort
        ShardResult[] last = ShardCodec.ReadResults(completed[^1]);
        Assert.Equal(shards, last.Length);
        Assert.All(last, r => Assert.Null(r.Partial));
        Assert.All(completed.SelectMany(c => ShardCodec.ReadResults(c)), r => Assert.Null(r.Partial));

        await AssertReplaysAbortedAsync(roundId, shards, devices, nameof(AbortReason.TooFewClients), await EventCountsAsync(roundId, shards));
    }

    private static ulong[] Input(int i) => ClusterDevices.MaskingInput(i, Length);

    private static OpenRoundRequest Masking(ClusterDevices devices, int? threshold, List<double> deadlines) => new()
    {
        Federation = devices.Federation,
        Vectors = [new VectorRequest { Length = Length, Bits = 32 }],
        Threshold = threshold,
        StageDeadlinesSeconds = deadlines,
    };

    // The round is aborted for every front end, has no sum and no result, its catalog row says so, and every shard
    // refuses a new envelope as the round being closed.
    private async Task AssertAbortedAsync(string roundId, int shards, ClusterDevices devices, string reason)
    {
        for (int frontEnd = 0; frontEnd < ClusterRoundsFixture.FrontEnds; frontEnd++)
        {
            using SecureFedAdminClient admin = fixture.Admin(frontEnd);
            RoundStatus status = await admin.GetRoundAsync(roundId);
            output.WriteLine($"front end {frontEnd}: {status.Status} {status.AbortReason} ({status.AbortDetail})");
            Assert.Equal("aborted", status.Status);
            Assert.Equal(reason, status.AbortReason);
            Assert.Null(status.Sums);
        }
        BytesPollReply result = await fixture.Cluster.Client.GetGrain<IRoundGrain>(roundId).PollResult(TimeSpan.Zero);
        Assert.Null(result.Bytes);
        Assert.NotNull(result.Refused);
        using (var device = new SecureFedClient(ClusterRoundsFixture.ClientOptions(), devices.Keys[0], fixture.Http(1)))
        {
            RequestRefusedException refused = await Assert.ThrowsAsync<RequestRefusedException>(() => device.GetRoundResultAsync(roundId));
            Assert.Equal("round-not-completed", refused.Code);
        }
        Assert.Equal((short)RoundPhase.Aborted, await fixture.Database.ScalarAsync<short>(
            "SELECT ended_phase FROM securefed_rounds WHERE round_id = decode(@id, 'hex')", ("id", roundId)));
        await AssertShardsRefuseAsync(roundId, shards, devices);
    }

    private async Task AssertShardsRefuseAsync(string roundId, int shards, ClusterDevices devices)
    {
        byte[] id = Convert.FromHexString(roundId);
        for (int s = 0; s < shards; s++)
        {
            // A client of this shard (any client when the map gave it none) with an envelope the shard has not seen.
            uint client = devices.ClientIds.FirstOrDefault(c => ShardMap.ShardOf(id, c, shards) == s, devices.ClientIds[0]);
            byte[] envelope = new byte[64];
            Random.Shared.NextBytes(envelope);
            SubmitReply reply = await fixture.Cluster.Client.GetGrain<IRoundShardGrain>(ShardedRound.ShardKey(roundId, s)).Submit(client, envelope);
            Assert.Equal(SubmitFate.Refused, reply.Fate);
            Assert.Equal((int)RejectionReason.RoundClosed, reply.RejectionReason);
            Assert.Equal(-1, await fixture.Cluster.Client.GetGrain<IRoundShardGrain>(ShardedRound.ShardKey(roundId, s)).Received(2));
        }
    }

    // Every activation is collected, so the round and its shards are rebuilt from their logs on their next call: the
    // logs replay (no refusal on replay), the round is the same aborted round, the shards still refuse, and the
    // replay appended nothing.
    private async Task AssertReplaysAbortedAsync(string roundId, int shards, ClusterDevices devices, string reason, long[] counts)
    {
        IManagementGrain management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            // Wait until none of the round's grains (root or shard) is active anywhere: the next calls replay.
            while ((await management.GetDetailedGrainStatistics()).Any(g => g.GrainId.ToString().Contains(roundId, StringComparison.Ordinal)))
            {
                await Task.Delay(200, timeout.Token);
            }
        }
        await AssertAbortedAsync(roundId, shards, devices, reason);
        Assert.Equal(counts, await EventCountsAsync(roundId, shards));
    }

    private async Task WaitForReceivedAsync(string roundId, int shards, int close, int expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        int[] counts = [];
        while (true)
        {
            counts = await Task.WhenAll(Enumerable.Range(0, shards).Select(s =>
                fixture.Cluster.Client.GetGrain<IRoundShardGrain>(ShardedRound.ShardKey(roundId, s)).Received(close)));
            if (counts.Sum(c => Math.Max(c, 0)) == expected)
            {
                output.WriteLine($"close {close}: the shards hold {string.Join(" + ", counts)} messages");
                return;
            }
            await Task.Delay(200, timeout.Token);
        }
    }

    // Events in the root's stream (index 0) and each shard's (1..S).
    private async Task<long[]> EventCountsAsync(string roundId, int shards)
    {
        var counts = new long[shards + 1];
        for (int stream = 0; stream <= shards; stream++)
        {
            counts[stream] = await fixture.Database.ScalarAsync<long>(
                "SELECT count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream = @s", ("id", roundId), ("s", stream));
        }
        return counts;
    }

    private Task<long> CountAsync(string roundId, int? stream, short kind) => stream is { } s
        ? fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream = @s AND kind = @k", ("id", roundId), ("s", s), ("k", kind))
        : fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream > 0 AND kind = @k", ("id", roundId), ("k", kind));

    private async Task<byte[][]> PayloadsAsync(string roundId, int stream, short kind)
    {
        var payloads = new List<byte[]>();
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT payload FROM securefed_round_log WHERE round_id = decode(@id, 'hex') AND stream = @s AND kind = @k ORDER BY seq");
        command.Parameters.AddWithValue("id", roundId);
        command.Parameters.AddWithValue("s", stream);
        command.Parameters.AddWithValue("k", kind);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            payloads.Add(reader.GetFieldValue<byte[]>(0));
        }
        return [.. payloads];
    }
}
