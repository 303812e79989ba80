using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>A row of the rounds table: everything needed to rebuild a round's runtime at start-up.</summary>
internal sealed record StoredRound(
    byte[] RoundId,
    string Federation,
    byte[] Configuration,
    long[] DeadlinesMs,
    int MinClients,
    long StageOpenedAtMs,
    string Status,
    int? AbortReason,
    string? AbortDetail,
    byte[]? Result,
    byte[]? Survivors,
    byte[]? Dropped)
{
    /// <summary>The rounds columns every load selects, in this order (<see cref="Read"/> reads them by position).</summary>
    public const string Columns = "round_id, federation, configuration, deadlines_ms, min_clients, stage_opened_at, status, abort_reason, abort_detail, result, survivors, dropped";

    /// <summary>The row at the reader's position, from <see cref="Columns"/> as its first twelve columns.</summary>
    public static StoredRound Read(SqliteDataReader r) =>
        new((byte[])r[0], r.GetString(1), (byte[])r[2], [.. r.GetString(3).Split(',').Select(long.Parse)],
            r.GetInt32(4), r.GetInt64(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetString(8),
            r.IsDBNull(9) ? null : (byte[])r[9], r.IsDBNull(10) ? null : (byte[])r[10], r.IsDBNull(11) ? null : (byte[])r[11]);

    /// <summary>Inserts this round's rounds row (opened and stage-opened at <see cref="StageOpenedAtMs"/>).</summary>
    public void Insert(SqliteCommandFactory f) => f.Execute(
        """
        INSERT INTO rounds(round_id, federation, configuration, deadlines_ms, min_clients, opened_at, stage_opened_at, status)
        VALUES($id, $f, $c, $d, $m, $t, $t, $s)
        """,
        ("$id", RoundId), ("$f", Federation), ("$c", Configuration), ("$d", string.Join(',', DeadlinesMs)),
        ("$m", MinClients), ("$t", StageOpenedAtMs), ("$s", Status));
}
