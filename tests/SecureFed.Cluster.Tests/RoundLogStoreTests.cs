using SecureFed.Cluster.Schema;
using SecureFed.Cluster.Storage;
using SecureFed.Cluster.Tests.Support;

namespace SecureFed.Cluster.Tests;

public sealed class RoundLogStoreTests
{
    private static readonly byte[] RoundId = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();

    [PostgresFact]
    public async Task Appends_are_dense_per_stream_and_read_back_in_order()
    {
        await using TestDatabase db = await OpenedAsync();
        var log = new RoundLogStore(db.DataSource);

        Assert.Equal(RoundLogAppendOutcome.Appended, await log.AppendAsync(RoundId, [Event(0, 0, 1), Event(0, 1, 2)]));
        Assert.Equal(RoundLogAppendOutcome.Appended, await log.AppendAsync(RoundId, [Event(2, 0, 3)]));

        List<RoundLogEvent> all = await ReadAllAsync(log, null, 0);
        Assert.Equal([(0, 0L, (byte)1), (0, 1L, (byte)2), (2, 0L, (byte)3)], all.Select(e => (e.Stream, e.Sequence, e.Payload.Span[0])));
        Assert.Equal([1L], (await ReadAllAsync(log, 0, 1)).Select(e => e.Sequence));
    }

    [PostgresFact]
    public async Task A_stale_writer_a_gap_and_an_unknown_round_write_nothing()
    {
        await using TestDatabase db = await OpenedAsync();
        var log = new RoundLogStore(db.DataSource);
        await log.AppendAsync(RoundId, [Event(0, 0, 1)]);

        // The batch's first event is fine, its second is taken: the whole batch is refused.
        Assert.Equal(RoundLogAppendOutcome.SequenceTaken, await log.AppendAsync(RoundId, [Event(1, 0, 7), Event(0, 0, 9)]));
        Assert.Equal(RoundLogAppendOutcome.SequenceGap, await log.AppendAsync(RoundId, [Event(0, 5, 9)]));
        byte[] otherRound = new byte[16];
        Assert.Equal(RoundLogAppendOutcome.UnknownRound, await log.AppendAsync(otherRound, [Event(0, 0, 9)]));

        Assert.Equal([(0, 0L, (byte)1)], (await ReadAllAsync(log, null, 0)).Select(e => (e.Stream, e.Sequence, e.Payload.Span[0])));
    }

    [PostgresFact]
    public async Task Of_two_concurrent_writers_of_one_number_exactly_one_wins()
    {
        await using TestDatabase db = await OpenedAsync();
        var log = new RoundLogStore(db.DataSource);

        RoundLogAppendOutcome[] outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => log.AppendAsync(RoundId, [Event(0, 0, (byte)i)]))));

        Assert.Single(outcomes, o => o == RoundLogAppendOutcome.Appended);
        Assert.All(outcomes.Where(o => o != RoundLogAppendOutcome.Appended), o => Assert.Equal(RoundLogAppendOutcome.SequenceTaken, o));
        Assert.Single(await ReadAllAsync(log, null, 0));
    }

    [Fact]
    public async Task A_round_id_of_the_wrong_length_is_refused()
    {
        var log = new RoundLogStore(Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1"));
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(new byte[15], [Event(0, 0, 1)]));
    }

    private static RoundLogEvent Event(int stream, long seq, byte payload) => new(stream, seq, 1, new[] { payload });

    private static async Task<List<RoundLogEvent>> ReadAllAsync(RoundLogStore log, int? stream, long from)
    {
        var events = new List<RoundLogEvent>();
        await foreach (RoundLogEvent e in log.ReadAsync(RoundId, stream, from))
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task<TestDatabase> OpenedAsync()
    {
        TestDatabase db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(db.DataSource);
        await db.ExecuteAsync("INSERT INTO securefed_rounds(round_id, federation, engine_version, configuration) VALUES (@r, 'f', 1, '\\x00'::bytea)", ("r", RoundId));
        return db;
    }
}
