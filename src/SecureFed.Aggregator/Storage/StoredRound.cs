using Microsoft.Data.Sqlite;
using SecureFed.Protocol.Hosting;

namespace SecureFed.Aggregator.Storage;

/// <summary>A row of the rounds table: everything needed to rebuild a round's runtime at start-up.</summary>
internal sealed record StoredRound(
    byte[] RoundId,
    RoundScheme Scheme,
    string Federation,
    byte[] Configuration,
    long[] DeadlinesMs,
    int MinimumClients,
    long StageOpenedAtMs,
    byte[]? Outcome)
{
    /// <summary>The rounds columns every load selects, in this order (<see cref="Read"/> reads them by position).</summary>
    public const string Columns = "round_id, scheme, federation, configuration, deadlines_ms, min_clients, stage_opened_at, outcome";

    /// <summary>The row at the reader's position, from <see cref="Columns"/>.</summary>
    public static StoredRound Read(SqliteDataReader r) =>
        new((byte[])r[0], (RoundScheme)r.GetInt32(1), r.GetString(2), (byte[])r[3], [.. r.GetString(4).Split(',').Select(long.Parse)],
            r.GetInt32(5), r.GetInt64(6), r.IsDBNull(7) ? null : (byte[])r[7]);

    /// <summary>Inserts this round's rounds row (opened and stage-opened at <see cref="StageOpenedAtMs"/>).</summary>
    public void Insert(SqliteCommandFactory f) => f.Execute(
        """
        INSERT INTO rounds(round_id, scheme, federation, configuration, deadlines_ms, min_clients, opened_at, stage_opened_at)
        VALUES($id, $s, $f, $c, $d, $m, $t, $t)
        """,
        ("$id", RoundId), ("$s", (int)Scheme), ("$f", Federation), ("$c", Configuration), ("$d", string.Join(',', DeadlinesMs)),
        ("$m", MinimumClients), ("$t", StageOpenedAtMs));
}
