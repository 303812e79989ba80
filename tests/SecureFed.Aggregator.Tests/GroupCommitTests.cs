using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// The round log's group commit (<see cref="RoundLogQueue"/>) hands out log positions: each row at the durable log's
/// next seq plus the rows queued before it. These tests drive <see cref="RoundCoordinator"/> of a live service directly
/// with R0 envelopes and order the writes by holding the round's gate (a FIFO semaphore) while they queue: no timing.
/// </summary>
public sealed class GroupCommitTests
{
    private const int Clients = 4;

    [Fact]
    public async Task A_status_read_while_writes_are_queued_takes_no_log_position()
    {
        await using var round = await TestRound.OpenAsync();

        // Held gate: envelope 0, a status read (it waits for the pending writes) and envelope 1 queue in that order.
        await round.Rt.Gate.WaitAsync();
        Task<SubmitOutcome> first = round.SubmitAsync(0);
        Task settled = round.Coordinator.SettledAsync(round.Rt, CancellationToken.None);
        Task<SubmitOutcome> second = round.SubmitAsync(1);
        round.Rt.Gate.Release();
        await round.Rt.Gate.WaitAsync(); // after the three above took their turn
        round.Rt.Gate.Release();
        await Task.WhenAll(first, settled, second);

        // The next envelope goes to the next free position (the status read used to take one and leave a gap, so
        // this row hit a taken seq: UNIQUE constraint failed, 503, and the round rebuilt again and again).
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(2));
        Assert.Equal(new long[] { 0L, 1L, 2L }, round.Seqs());
        Assert.Equal(3, round.Rt.NextSeq);

        // The same after a restart: the replayed log continues where it ends.
        await round.RestartAsync();
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(3)); // the last R0 envelope: R0 closes
        await round.Coordinator.SettledAsync(round.Rt, CancellationToken.None);
        Assert.Equal(new long[] { 0L, 1L, 2L, 3L, 4L }, round.Seqs());
        Assert.Equal(1, round.Rt.Server.Progress!.Stage);
    }

    [Fact]
    public async Task A_replayed_log_with_a_gap_continues_after_its_last_row()
    {
        await using var round = await TestRound.OpenAsync();
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(0));
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(1));
        // A log as the group commit of an earlier build could leave it: rows 0 and 2, none at 1.
        round.Execute("UPDATE round_log SET seq = 2 WHERE round_id = $id AND seq = 1");

        await round.RestartAsync();

        Assert.Equal(3, round.Rt.NextSeq);
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(2));
        Assert.Equal(new long[] { 0L, 2L, 3L }, round.Seqs());
        Assert.Equal(3, round.Rt.Server.Progress!.Received);
    }

    [Fact]
    public async Task A_failed_commit_fails_every_write_of_its_batch_and_gives_their_positions_back()
    {
        await using var round = await TestRound.OpenAsync();
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(0));
        // Seq 1 is taken behind the service's back with envelope 1 itself: the next commit fails on it.
        round.Execute("INSERT INTO round_log(round_id, seq, client_id, digest, envelope) VALUES($id, 1, $c, $d, $e)",
            ("$c", (long)round.Ids[1]), ("$d", System.Security.Cryptography.SHA256.HashData(round.Envelopes[1])), ("$e", round.Envelopes[1]));

        await round.Rt.Gate.WaitAsync();
        Task<SubmitOutcome> failing = round.SubmitAsync(1); // seq 1: taken
        Task<SubmitOutcome> behind = round.SubmitAsync(2);  // queued in the same or the next batch
        round.Rt.Gate.Release();

        foreach (Task<SubmitOutcome> t in new[] { failing, behind })
        {
            var e = await Assert.ThrowsAsync<AggregatorProblemException>(() => t);
            Assert.Equal(ProblemCode.StorageUnavailable, e.Code);
        }
        // Nothing of the failed batch stays in memory: the round is rebuilt from the disk (which holds envelope 1).
        await round.Rt.Gate.WaitAsync();
        round.Rt.Gate.Release();
        Assert.Equal(2, round.Rt.NextSeq);
        Assert.Equal(2, round.Rt.Server.Progress!.Received);
        Assert.Equal(SubmitOutcome.Resent, await round.SubmitAsync(1));
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(2));
        Assert.Equal(new long[] { 0L, 1L, 2L }, round.Seqs());
    }

    [Fact]
    public async Task While_a_rounds_log_cannot_be_read_back_its_reads_answer_503_and_it_recovers_once_readable()
    {
        await using var round = await TestRound.OpenAsync();
        IRoundHost host = round.Host;
        HostedRound hosted = await host.FindAsync(round.RoundId, CancellationToken.None);
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(0));

        // The log table goes away behind the service's back: the next commit fails, and so does the rebuild after it.
        round.Alter("ALTER TABLE round_log RENAME TO round_log_away");
        var refused = await Assert.ThrowsAsync<AggregatorProblemException>(() => round.SubmitAsync(1));
        Assert.Equal(ProblemCode.StorageUnavailable, refused.Code);
        Assert.True(round.Rt.NeedsReplay);

        // Every read answers 503 (retry), never the in-memory round, which has taken envelope 1 that is not on disk.
        Func<Task>[] reads =
        [
            () => host.DescribeAsync(round.RoundId, includeSums: false, CancellationToken.None),
            () => host.ListAsync(CancellationToken.None),
            () => host.InfoAsync(hosted, CancellationToken.None),
            () => host.PollStageAsync(hosted, round.Ids[0], 0, TimeSpan.Zero, CancellationToken.None),
            () => host.PollResultAsync(hosted, TimeSpan.Zero, CancellationToken.None),
        ];
        foreach (Func<Task> read in reads)
        {
            var e = await Assert.ThrowsAsync<AggregatorProblemException>(read);
            Assert.Equal(ProblemCode.StorageUnavailable, e.Code);
        }

        // Readable again: the round is what is durable; nothing acknowledged is lost and the refused envelope goes in.
        round.Alter("ALTER TABLE round_log_away RENAME TO round_log");
        RoundStatus status = await host.DescribeAsync(round.RoundId, includeSums: false, CancellationToken.None);
        Assert.Equal("running", status.Status);
        Assert.Equal(1, status.Received);
        Assert.False(round.Rt.NeedsReplay);
        Assert.Equal(SubmitOutcome.Resent, await round.SubmitAsync(0));
        Assert.Equal(SubmitOutcome.Stored, await round.SubmitAsync(1));
        Assert.Equal(new long[] { 0L, 1L }, round.Seqs());
    }

    // A live service with one open masking round of four devices and each device's R0 envelope.
    private sealed class TestRound : IAsyncDisposable
    {
        private LiveAggregator _service;

        private TestRound(LiveAggregator service, string roundId, IReadOnlyList<uint> ids, byte[][] envelopes)
        {
            _service = service;
            RoundId = roundId;
            Ids = ids;
            Envelopes = envelopes;
        }

        public string RoundId { get; }

        public IReadOnlyList<uint> Ids { get; }

        public byte[][] Envelopes { get; }

        public RoundCoordinator Coordinator => _service.Services.GetRequiredService<RoundCoordinator>();

        public RoundRuntime Rt => Coordinator.Get(RoundId);

        public IRoundHost Host => _service.Services.GetRequiredService<IRoundHost>();

        public static async Task<TestRound> OpenAsync()
        {
            LiveAggregator service = await LiveAggregator.StartAsync();
            using SecureFedAdminClient admin = service.Admin();
            TestFederation federation = await TestFederation.EnrolAsync(admin, Clients);
            RoundStatus status = await federation.OpenRoundAsync(admin, 16, 32, deadlineSeconds: 120);
            RoundRuntime rt = service.Services.GetRequiredService<RoundCoordinator>().Get(status.RoundId);
            var parameters = RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(rt.Server.Configuration, 1 << 20));
            byte[][] envelopes = [.. Enumerable.Range(0, Clients).Select(i =>
            {
                using IdentityKeyPair key = federation.Keys[i].LoadIdentity();
                ClientTransition t = SecAggClient.Start(parameters, federation.ClientIds[i], key, [TestFederation.Input(i, 16, 32)], SystemRandomSource.Instance);
                return MessageCodec.Encode(t.Outgoing!);
            })];
            return new TestRound(service, status.RoundId, federation.ClientIds, envelopes);
        }

        public Task<SubmitOutcome> SubmitAsync(int device) => Coordinator.SubmitAsync(Rt, Ids[device], Envelopes[device], CancellationToken.None);

        public async Task RestartAsync() => _service = await _service.RestartAsync();

        // The round's log positions on disk, ascending.
        public long[] Seqs()
        {
            using SqliteConnection c = Open();
            using SqliteCommand q = c.CreateCommand();
            q.CommandText = "SELECT seq FROM round_log WHERE round_id = $id ORDER BY seq";
            q.Parameters.AddWithValue("$id", Rt.RoundId);
            using SqliteDataReader r = q.ExecuteReader();
            var seqs = new List<long>();
            while (r.Read())
            {
                seqs.Add(r.GetInt64(0));
            }
            return [.. seqs];
        }

        // A statement on the service's database through a connection of its own ($id is the round).
        public void Execute(string sql, params (string Name, object Value)[] parameters)
        {
            using SqliteConnection c = Open();
            using SqliteCommand q = c.CreateCommand();
            q.CommandText = sql;
            q.Parameters.AddWithValue("$id", Rt.RoundId);
            foreach ((string name, object value) in parameters)
            {
                q.Parameters.AddWithValue(name, value);
            }
            Assert.Equal(1, q.ExecuteNonQuery());
        }

        // A schema change on the service's database through a connection of its own.
        public void Alter(string sql)
        {
            using SqliteConnection c = Open();
            using SqliteCommand q = c.CreateCommand();
            q.CommandText = sql;
            q.ExecuteNonQuery();
        }

        public ValueTask DisposeAsync() => _service.DisposeAsync();

        private SqliteConnection Open()
        {
            var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _service.DatabasePath, Pooling = false }.ToString());
            c.Open();
            return c;
        }
    }
}
