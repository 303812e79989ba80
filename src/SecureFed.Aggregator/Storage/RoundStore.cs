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

    /// <summary>Stores a new round; <paramref name="transcript"/> marks it as one whose messages are all kept for its transcript.</summary>
    public void Insert(StoredRound r, bool transcript = false) => db.Write(f =>
    {
        r.Insert(f);
        if (transcript)
        {
            f.Execute("INSERT INTO transcript_rounds(round_id) VALUES($id)", ("$id", r.RoundId));
        }
        return 0;
    });

    /// <summary>Whether the round was opened with transcripts enabled (so every message of it was kept).</summary>
    public bool HasTranscript(byte[] roundId) => db.Read(f => f.Scalar("SELECT 1 FROM transcript_rounds WHERE round_id = $id", ("$id", roundId)) is not null);

    /// <summary>The round's opening time (Unix ms), or null for an unknown round.</summary>
    public long? OpenedAtMs(byte[] roundId) => db.Read(f => f.Scalar("SELECT opened_at FROM rounds WHERE round_id = $id", ("$id", roundId)) is long t ? t : (long?)null);

    /// <summary>The round's transcript messages in the order they were stored.</summary>
    public List<TranscriptEntry> TranscriptEntries(byte[] roundId) => db.Read(f =>
    {
        using SqliteCommand c = f.Command("SELECT kind, party, at_ms, payload FROM transcript_messages WHERE round_id = $id ORDER BY id", ("$id", roundId));
        using SqliteDataReader r = c.ExecuteReader();
        var list = new List<TranscriptEntry>();
        while (r.Read())
        {
            list.Add(new TranscriptEntry(r.GetInt32(0), (uint)r.GetInt64(1), r.GetInt64(2), (byte[])r[3]));
        }
        return list;
    });

    /// <summary>The masking rounds (HE rounds are loaded by <see cref="HeRoundStore"/>).</summary>
    public List<StoredRound> LoadAll() => db.Read(f =>
    {
        using SqliteCommand c = f.Command(
            $"SELECT {StoredRound.Columns} FROM rounds WHERE round_id NOT IN (SELECT round_id FROM he_rounds) ORDER BY opened_at");
        using SqliteDataReader r = c.ExecuteReader();
        var list = new List<StoredRound>();
        while (r.Read())
        {
            list.Add(StoredRound.Read(r));
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

    /// <summary>Records an accepted message; for R2 also replaces the running sum, and with transcripts the message
    /// itself, in the same transaction.</summary>
    public void Accept(byte[] roundId, int stage, uint clientId, byte[] digest, byte[]? envelope, byte[]? runningSums, TranscriptEntry? transcript = null) => db.Write(f =>
    {
        AppendTranscript(f, roundId, transcript is null ? [] : [transcript]);
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
    /// per-message records (the result is all that is kept, plus the transcript messages of a transcript round).</summary>
    public void CloseStage(byte[] roundId, int stage, long nowMs, RoundOutcome? outcome, IReadOnlyList<TranscriptEntry>? transcript = null) => db.Write(f =>
    {
        AppendTranscript(f, roundId, transcript ?? []);
        f.Execute("INSERT INTO stage_closes(round_id, stage, closed_at) VALUES($id, $s, $t)", ("$id", roundId), ("$s", stage), ("$t", nowMs));
        f.Execute("UPDATE rounds SET stage_opened_at = $t WHERE round_id = $id", ("$id", roundId), ("$t", nowMs));
        if (outcome is not null)
        {
            Finish(f, roundId, outcome);
        }
        return 0;
    });

    /// <summary>Ends a round outside the protocol (too few clients for the operator's minimum, or an operator abort).</summary>
    public void Finish(byte[] roundId, RoundOutcome outcome, IReadOnlyList<TranscriptEntry>? transcript = null) => db.Write(f =>
    {
        AppendTranscript(f, roundId, transcript ?? []);
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

    private static void AppendTranscript(SqliteCommandFactory f, byte[] roundId, IReadOnlyList<TranscriptEntry> entries)
    {
        foreach (TranscriptEntry e in entries)
        {
            f.Execute("INSERT INTO transcript_messages(round_id, kind, party, at_ms, payload) VALUES($id, $k, $p, $t, $b)",
                ("$id", roundId), ("$k", e.Kind), ("$p", (long)e.Party), ("$t", e.AtMs), ("$b", e.Payload));
        }
    }
}
