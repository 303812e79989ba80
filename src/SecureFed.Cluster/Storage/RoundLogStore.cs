using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace SecureFed.Cluster.Storage;

/// <summary>
/// A round's append-only event log in PostgreSQL (<c>securefed_round_log</c>). Appends are all-or-nothing, dense per
/// stream and fenced: a writer must name the next free sequence number, so a stale activation of a grain whose
/// successor already appended cannot add to the log. When <see cref="AppendAsync"/> answers
/// <see cref="RoundLogAppendOutcome.Appended"/>, the events are committed (what the service needs before a 2xx).
/// </summary>
public sealed class RoundLogStore(NpgsqlDataSource dataSource)
{
    private const int RoundIdSize = 16;

    // Inserts only the stream's next number; a taken number (unique index) or a gap inserts nothing.
    private const string AppendSql = """
        INSERT INTO securefed_round_log(round_id, stream, seq, kind, payload)
        SELECT @round, @stream, @seq, @kind, @payload
        WHERE @seq = (SELECT COALESCE(max(seq) + 1, 0) FROM securefed_round_log WHERE round_id = @round AND stream = @stream)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Appends <paramref name="events"/> (in order) in one transaction.</summary>
    /// <exception cref="ArgumentException">The round id is not 16 bytes, or no events.</exception>
    public async Task<RoundLogAppendOutcome> AppendAsync(ReadOnlyMemory<byte> roundId, IReadOnlyList<RoundLogEvent> events, CancellationToken cancellationToken = default)
    {
        byte[] round = CheckRoundId(roundId);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);

        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        RoundLogAppendOutcome outcome = await AppendInTransactionAsync(connection, transaction, round, events, cancellationToken).ConfigureAwait(false);
        if (outcome == RoundLogAppendOutcome.Appended)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        return outcome;
    }

    /// <summary>
    /// Appends <paramref name="events"/> inside the caller's transaction (a DP round's outcome with its ledger charge);
    /// the caller commits only on <see cref="RoundLogAppendOutcome.Appended"/>.
    /// </summary>
    internal static async Task<RoundLogAppendOutcome> AppendInTransactionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ReadOnlyMemory<byte> roundId,
        IReadOnlyList<RoundLogEvent> events, CancellationToken cancellationToken)
    {
        byte[] round = CheckRoundId(roundId);
        // One round trip for the whole group (a grain's group commit hands over hundreds of events at once).
        await using NpgsqlBatch batch = new(connection, transaction);
        foreach (RoundLogEvent e in events)
        {
            NpgsqlBatchCommand append = new(AppendSql);
            append.Parameters.Add(new NpgsqlParameter<byte[]>("round", NpgsqlDbType.Bytea) { TypedValue = round });
            append.Parameters.Add(new NpgsqlParameter<int>("stream", NpgsqlDbType.Integer) { TypedValue = e.Stream });
            append.Parameters.Add(new NpgsqlParameter<long>("seq", NpgsqlDbType.Bigint) { TypedValue = e.Sequence });
            append.Parameters.Add(new NpgsqlParameter<short>("kind", NpgsqlDbType.Smallint) { TypedValue = e.Kind });
            append.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("payload", NpgsqlDbType.Bytea) { TypedValue = e.Payload });
            batch.BatchCommands.Add(append);
        }
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException x) when (x.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return RoundLogAppendOutcome.UnknownRound;
        }
        for (int i = 0; i < events.Count; i++)
        {
            if (batch.BatchCommands[i].RecordsAffected == 0)
            {
                // The first event that did not go in decides; the caller rolls the whole group back.
                return await IsTakenAsync(connection, transaction, round, events[i], cancellationToken).ConfigureAwait(false)
                    ? RoundLogAppendOutcome.SequenceTaken
                    : RoundLogAppendOutcome.SequenceGap;
            }
        }
        return RoundLogAppendOutcome.Appended;
    }

    /// <summary>Reads a round's events in (stream, sequence) order, optionally one stream from a sequence number on.</summary>
    public async IAsyncEnumerable<RoundLogEvent> ReadAsync(ReadOnlyMemory<byte> roundId, int? stream = null, long fromSequence = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        byte[] round = CheckRoundId(roundId);
        await using NpgsqlCommand read = dataSource.CreateCommand("""
            SELECT stream, seq, kind, payload FROM securefed_round_log
            WHERE round_id = @round AND (@stream::integer IS NULL OR stream = @stream::integer) AND seq >= @from
            ORDER BY stream, seq
            """);
        read.Parameters.Add(new NpgsqlParameter<byte[]>("round", NpgsqlDbType.Bytea) { TypedValue = round });
        read.Parameters.Add(new NpgsqlParameter("stream", NpgsqlDbType.Integer) { Value = stream.HasValue ? stream.Value : DBNull.Value });
        read.Parameters.Add(new NpgsqlParameter<long>("from", NpgsqlDbType.Bigint) { TypedValue = fromSequence });
        await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new RoundLogEvent(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt16(2), reader.GetFieldValue<byte[]>(3));
        }
    }

    private static async Task<bool> IsTakenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, byte[] round, RoundLogEvent e, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand probe = new("SELECT EXISTS (SELECT 1 FROM securefed_round_log WHERE round_id = @round AND stream = @stream AND seq = @seq)", connection, transaction);
        probe.Parameters.Add(new NpgsqlParameter<byte[]>("round", NpgsqlDbType.Bytea) { TypedValue = round });
        probe.Parameters.Add(new NpgsqlParameter<int>("stream", NpgsqlDbType.Integer) { TypedValue = e.Stream });
        probe.Parameters.Add(new NpgsqlParameter<long>("seq", NpgsqlDbType.Bigint) { TypedValue = e.Sequence });
        return (bool)(await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static byte[] CheckRoundId(ReadOnlyMemory<byte> roundId) =>
        roundId.Length == RoundIdSize ? roundId.ToArray() : throw new ArgumentException($"a round id is {RoundIdSize} bytes", nameof(roundId));
}
