using Npgsql;
using NpgsqlTypes;

namespace SecureFed.Cluster.Storage;

/// <summary>
/// The cluster's rounds in <c>securefed_rounds</c>: inserted once when a round opens (before any client can reach it),
/// read by every activation of the round's grain, and marked ended for listings.
/// </summary>
internal sealed class RoundCatalog(NpgsqlDataSource dataSource)
{
    /// <summary>Inserts the round; false when a round with this id exists already (nothing written).</summary>
    public async Task<bool> InsertAsync(ClusterRoundRow row, CancellationToken ct)
    {
        await using NpgsqlCommand insert = dataSource.CreateCommand("""
            INSERT INTO securefed_rounds(round_id, federation, engine_version, configuration, scheme, min_clients, deadlines_ms, float_encoding, shard_count, dp_plan, quiet_close)
            VALUES (@id, @federation, @engine, @configuration, @scheme, @min, @deadlines, @encoding, @shards, @dp, @quiet)
            ON CONFLICT (round_id) DO NOTHING
            """);
        insert.Parameters.Add(new NpgsqlParameter<byte[]>("id", NpgsqlDbType.Bytea) { TypedValue = row.RoundId });
        insert.Parameters.Add(new NpgsqlParameter<string>("federation", NpgsqlDbType.Text) { TypedValue = row.Federation });
        insert.Parameters.Add(new NpgsqlParameter<int>("engine", NpgsqlDbType.Integer) { TypedValue = row.EngineVersion });
        insert.Parameters.Add(new NpgsqlParameter<byte[]>("configuration", NpgsqlDbType.Bytea) { TypedValue = row.Configuration });
        insert.Parameters.Add(new NpgsqlParameter<short>("scheme", NpgsqlDbType.Smallint) { TypedValue = (short)row.Scheme });
        insert.Parameters.Add(new NpgsqlParameter<int>("min", NpgsqlDbType.Integer) { TypedValue = row.MinimumClients });
        insert.Parameters.Add(new NpgsqlParameter<long[]>("deadlines", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = row.DeadlinesMs });
        insert.Parameters.Add(new NpgsqlParameter("encoding", NpgsqlDbType.Bytea) { Value = (object?)row.FloatEncoding ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter<int>("shards", NpgsqlDbType.Integer) { TypedValue = row.ShardCount });
        insert.Parameters.Add(new NpgsqlParameter("dp", NpgsqlDbType.Bytea) { Value = (object?)row.DpPlan ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter("quiet", NpgsqlDbType.Text) { Value = (object?)row.QuietClose ?? DBNull.Value });
        return await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>The round, or null when there is none with this id.</summary>
    public async Task<ClusterRoundRow?> FindAsync(byte[] roundId, CancellationToken ct)
    {
        await using NpgsqlCommand find = dataSource.CreateCommand("""
            SELECT federation, engine_version, scheme, configuration, min_clients, deadlines_ms, float_encoding, ended_phase, shard_count, dp_plan, quiet_close
            FROM securefed_rounds WHERE round_id = @id
            """);
        find.Parameters.Add(new NpgsqlParameter<byte[]>("id", NpgsqlDbType.Bytea) { TypedValue = roundId });
        await using NpgsqlDataReader r = await find.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }
        return new ClusterRoundRow(roundId, r.GetString(0), r.GetInt32(1), r.GetInt16(2), r.GetFieldValue<byte[]>(3), r.GetInt32(4),
            r.GetFieldValue<long[]>(5), r.IsDBNull(6) ? null : r.GetFieldValue<byte[]>(6), r.IsDBNull(7) ? null : r.GetInt16(7), r.GetInt32(8),
            r.IsDBNull(9) ? null : r.GetFieldValue<byte[]>(9), r.IsDBNull(10) ? null : r.GetString(10));
    }

    /// <summary>Records how the round ended (for listings and counts; the log stays the truth).</summary>
    public async Task MarkEndedAsync(byte[] roundId, int phase, CancellationToken ct)
    {
        await using NpgsqlCommand mark = dataSource.CreateCommand("UPDATE securefed_rounds SET ended_phase = @phase WHERE round_id = @id");
        mark.Parameters.Add(new NpgsqlParameter<byte[]>("id", NpgsqlDbType.Bytea) { TypedValue = roundId });
        mark.Parameters.Add(new NpgsqlParameter<short>("phase", NpgsqlDbType.Smallint) { TypedValue = (short)phase });
        await mark.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Every round id, oldest first, and whether it is still running.</summary>
    public async Task<IReadOnlyList<(byte[] RoundId, bool Running)>> ListAsync(CancellationToken ct)
    {
        await using NpgsqlCommand list = dataSource.CreateCommand("SELECT round_id, ended_phase IS NULL FROM securefed_rounds ORDER BY opened_at, round_id");
        await using NpgsqlDataReader r = await list.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rounds = new List<(byte[], bool)>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rounds.Add((r.GetFieldValue<byte[]>(0), r.GetBoolean(1)));
        }
        return rounds;
    }

    /// <summary>Rounds not yet ended.</summary>
    public async Task<int> CountRunningAsync(CancellationToken ct)
    {
        await using NpgsqlCommand count = dataSource.CreateCommand("SELECT count(*) FROM securefed_rounds WHERE ended_phase IS NULL");
        return Convert.ToInt32(await count.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
