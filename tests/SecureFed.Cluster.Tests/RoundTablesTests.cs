using Npgsql;
using SecureFed.Cluster.Schema;
using SecureFed.Cluster.Tests.Support;

namespace SecureFed.Cluster.Tests;

/// <summary>The schema's own guarantees for round logs, rosters and the privacy ledger.</summary>
public sealed class RoundTablesTests
{
    private static readonly byte[] RoundId = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    [PostgresFact]
    public async Task Round_log_refuses_a_taken_sequence_number_and_any_rewrite()
    {
        await using TestDatabase db = await MigratedAsync();
        await OpenRoundAsync(db);
        await AppendAsync(db, stream: 0, seq: 0, payload: [1]);
        await AppendAsync(db, stream: 1, seq: 0, payload: [2]);

        var taken = await Assert.ThrowsAsync<PostgresException>(() => AppendAsync(db, stream: 0, seq: 0, payload: [9]));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, taken.SqlState);
        var rewrite = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("UPDATE securefed_round_log SET payload = '\\x09'::bytea"));
        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, rewrite.SqlState);

        var rows = await db.RowsAsync("SELECT stream, seq, payload FROM securefed_round_log ORDER BY stream, seq");
        Assert.Equal([(0, 0L, (byte)1), (1, 0L, (byte)2)], rows.Select(r => ((int)r[0], (long)r[1], ((byte[])r[2])[0])));
    }

    [PostgresFact]
    public async Task Dropping_a_round_removes_its_log_and_roster()
    {
        await using TestDatabase db = await MigratedAsync();
        await OpenRoundAsync(db);
        await AppendAsync(db, stream: 0, seq: 0, payload: [1]);
        await db.ExecuteAsync("INSERT INTO securefed_round_roster(round_id, client_id, shard, identity_key) VALUES (@r, 7, 0, '\\x01'::bytea)", ("r", RoundId));

        await db.ExecuteAsync("DELETE FROM securefed_rounds WHERE round_id = @r", ("r", RoundId));

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM securefed_round_log"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM securefed_round_roster"));
    }

    [PostgresFact]
    public async Task Round_ids_must_be_16_bytes()
    {
        await using TestDatabase db = await MigratedAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
            "INSERT INTO securefed_rounds(round_id, federation, engine_version, configuration) VALUES ('\\x0102'::bytea, 'f', 1, '\\x00'::bytea)"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    [PostgresFact]
    public async Task Privacy_ledger_is_append_only_and_charges_a_round_once()
    {
        await using TestDatabase db = await MigratedAsync();
        const string insert = "INSERT INTO securefed_privacy_ledger(federation, seq, kind, round_id, epsilon, delta, entry) VALUES ('f', @s, 1, @r, 0.5, 1e-9, '\\x01'::bytea)";
        await db.ExecuteAsync(insert, ("s", 0L), ("r", RoundId));

        var again = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(insert, ("s", 1L), ("r", RoundId)));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, again.SqlState);
        foreach (string change in new[] { "UPDATE securefed_privacy_ledger SET epsilon = 0", "DELETE FROM securefed_privacy_ledger", "TRUNCATE securefed_privacy_ledger" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(change));
            Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, refused.SqlState);
        }

        Assert.Equal(0.5, await db.ScalarAsync<double>("SELECT sum(epsilon) FROM securefed_privacy_ledger"));
    }

    [PostgresFact]
    public async Task Privacy_ledger_refuses_impossible_charges()
    {
        await using TestDatabase db = await MigratedAsync();
        foreach ((double epsilon, double delta) in new[] { (-1.0, 0.0), (double.PositiveInfinity, 0.0), (double.NaN, 0.0), (1.0, 1.0) })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
                "INSERT INTO securefed_privacy_ledger(federation, seq, kind, round_id, epsilon, delta, entry) VALUES ('f', 0, 1, @r, @e, @d, '\\x01'::bytea)",
                ("r", RoundId), ("e", epsilon), ("d", delta)));
            Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
        }

        // A charge names its round; a budget entry (set 0, raise 2) names none.
        var noRound = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
            "INSERT INTO securefed_privacy_ledger(federation, seq, kind, epsilon, delta, entry) VALUES ('f', 0, 1, 1, 1e-9, '\\x01'::bytea)"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, noRound.SqlState);
        var budgetWithRound = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(
            "INSERT INTO securefed_privacy_ledger(federation, seq, kind, round_id, epsilon, delta, entry, actor) VALUES ('f', 0, 0, @r, 1, 1e-9, '\\x01'::bytea, 'a')",
            ("r", RoundId)));
        Assert.Equal(PostgresErrorCodes.CheckViolation, budgetWithRound.SqlState);
        await db.ExecuteAsync("INSERT INTO securefed_privacy_ledger(federation, seq, kind, epsilon, delta, entry, actor) VALUES ('f', 0, 0, 3, 1e-9, '\\x01'::bytea, 'a')");
    }

    private static async Task<TestDatabase> MigratedAsync()
    {
        TestDatabase db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(db.DataSource);
        return db;
    }

    private static Task OpenRoundAsync(TestDatabase db) => db.ExecuteAsync(
        "INSERT INTO securefed_rounds(round_id, federation, engine_version, configuration) VALUES (@r, 'f', 1, '\\x00'::bytea)", ("r", RoundId));

    private static Task AppendAsync(TestDatabase db, int stream, long seq, byte[] payload) => db.ExecuteAsync(
        "INSERT INTO securefed_round_log(round_id, stream, seq, kind, payload) VALUES (@r, @st, @s, 1, @p)",
        ("r", RoundId), ("st", stream), ("s", seq), ("p", payload));
}
