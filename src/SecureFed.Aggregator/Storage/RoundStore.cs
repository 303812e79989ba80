using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// Durable round state: the configuration, each accepted message (R2: digest only, plus the running sum), each stage
/// close and the result. Every method commits before it returns, so the caller acknowledges only what is on disk.
/// </summary>
internal sealed class RoundStore(AggregatorDatabase db)
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Aborted = "aborted";

    public void Insert(StoredRound r) => db.Write(f => f.Execute(
        """
        INSERT INTO rounds(round_id, federation, configuration, deadlines_ms, min_clients, opened_at, stage_opened_at, status)
        VALUES($id, $f, $c, $d, $m, $t, $t, $s)
        """,
        ("$id", r.RoundId), ("$f", r.Federation), ("$c", r.Configuration), ("$d", string.Join(',', r.DeadlinesMs)),
        ("$m", r.MinClients), ("$t", r.StageOpenedAtMs), ("$s", r.Status)));

    public List<StoredRound> LoadAll() => db.Read(f =>
    {
        using SqliteCommand c = f.Command(
            "SELECT round_id, federation, configuration, deadlines_ms, min_clients, stage_opened_at, status, abort_reason, abort_detail, result, survivors, dropped FROM rounds ORDER BY opened_at");
        using SqliteDataReader r = c.ExecuteReader();
        var list = new List<StoredRound>();
        while (r.Read())
        {
            list.Add(new StoredRound((byte[])r[0], r.GetString(1), (byte[])r[2], [.. r.GetString(3).Split(',').Select(long.Parse)],
                r.GetInt32(4), r.GetInt64(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.IsDBNull(8) ? null : r.GetString(8),
                r.IsDBNull(9) ? null : (byte[])r[9], r.IsDBNull(10) ? null : (byte[])r[10], r.IsDBNull(11) ? null : (byte[])r[11]));
        }
        return list;
    });

    public List<StoredEnvelope> Envelopes(byte[] roundId) => db.Read(f =>
    {
        using SqliteCommand c = f.Command("SELECT stage, client_id, digest, envelope FROM envelopes WHERE round_id = $id ORDER BY stage, client_id", ("$id", roundId));
        using SqliteDataReader r = c.ExecuteReader();
        var list = new List<StoredEnvelope>();
        while (r.Read())
        {
            list.Add(new StoredEnvelope(r.GetInt32(0), (uint)r.GetInt64(1), (byte[])r[2], r.IsDBNull(3) ? null : (byte[])r[3]));
        }
        return list;
    });

    public byte[]? RunningSums(byte[] roundId) => db.Read(f => f.Scalar("SELECT sums FROM running_sums WHERE round_id = $id", ("$id", roundId)) as byte[]);

    public List<int> ClosedStages(byte[] roundId) => db.Read(f =>
    {
        using SqliteCommand c = f.Command("SELECT stage FROM stage_closes WHERE round_id = $id ORDER BY stage", ("$id", roundId));
        using SqliteDataReader r = c.ExecuteReader();
        var list = new List<int>();
        while (r.Read())
        {
            list.Add(r.GetInt32(0));
        }
        return list;
    });

    /// <summary>Records an accepted message; for R2 also replaces the running sum, in the same transaction.</summary>
    public void Accept(byte[] roundId, int stage, uint clientId, byte[] digest, byte[]? envelope, byte[]? runningSums) => db.Write(f =>
    {
        f.Execute("INSERT INTO envelopes(round_id, stage, client_id, digest, envelope) VALUES($id, $s, $c, $d, $e)",
            ("$id", roundId), ("$s", stage), ("$c", (long)clientId), ("$d", digest), ("$e", envelope));
        if (runningSums is not null)
        {
            f.Execute("INSERT INTO running_sums(round_id, sums) VALUES($id, $v) ON CONFLICT(round_id) DO UPDATE SET sums = excluded.sums",
                ("$id", roundId), ("$v", runningSums));
        }
        return 0;
    });

    /// <summary>Records that <paramref name="stage"/> closed; when the round ended, stores the outcome and drops the
    /// per-message records (the result is all that is kept).</summary>
    public void CloseStage(byte[] roundId, int stage, long nowMs, RoundOutcome? outcome) => db.Write(f =>
    {
        f.Execute("INSERT INTO stage_closes(round_id, stage, closed_at) VALUES($id, $s, $t)", ("$id", roundId), ("$s", stage), ("$t", nowMs));
        f.Execute("UPDATE rounds SET stage_opened_at = $t WHERE round_id = $id", ("$id", roundId), ("$t", nowMs));
        if (outcome is not null)
        {
            Finish(f, roundId, outcome);
        }
        return 0;
    });

    /// <summary>Ends a round outside the protocol (too few clients for the operator's minimum, or an operator abort).</summary>
    public void Finish(byte[] roundId, RoundOutcome outcome) => db.Write(f =>
    {
        Finish(f, roundId, outcome);
        return 0;
    });

    private static void Finish(SqliteCommandFactory f, byte[] roundId, RoundOutcome o)
    {
        f.Execute("UPDATE rounds SET status = $s, abort_reason = $r, abort_detail = $d, result = $res, survivors = $sv, dropped = $dr WHERE round_id = $id",
            ("$id", roundId), ("$s", o.Status), ("$r", o.AbortReason), ("$d", o.AbortDetail), ("$res", o.Result), ("$sv", o.Survivors), ("$dr", o.Dropped));
        f.Execute("DELETE FROM envelopes WHERE round_id = $id", ("$id", roundId));
        f.Execute("DELETE FROM running_sums WHERE round_id = $id", ("$id", roundId));
    }
}
