using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// Durable HE round state: the rounds row (configuration = HeRoundConfiguration bytes), the he_rounds marker and the
/// server's replay log (he_log), which holds every accepted envelope and stage close in the order the live server saw
/// them. Every method commits before it returns, so the caller acknowledges only what is on disk.
/// </summary>
internal sealed class HeRoundStore(AggregatorDatabase db)
{
    // The rounds and transcript tables are shared with the masking rounds, and so are their queries.
    private readonly RoundStore _rounds = new(db);

    /// <summary>Stores a new HE round; <paramref name="transcript"/> marks it as one whose messages are all kept.</summary>
    public void Insert(StoredRound r, bool transcript) => db.Write(f =>
    {
        r.Insert(f);
        f.Execute("INSERT INTO he_rounds(round_id) VALUES($id)", ("$id", r.RoundId));
        if (transcript)
        {
            f.Execute("INSERT INTO transcript_rounds(round_id) VALUES($id)", ("$id", r.RoundId));
        }
        return 0;
    });

    /// <summary>Whether the round keeps a transcript.</summary>
    public bool HasTranscript(byte[] roundId) => _rounds.HasTranscript(roundId);

    /// <summary>The round's opening time (Unix ms), or null for an unknown round.</summary>
    public long? OpenedAtMs(byte[] roundId) => _rounds.OpenedAtMs(roundId);

    /// <summary>The round's transcript messages in the order they were stored.</summary>
    public List<TranscriptEntry> TranscriptEntries(byte[] roundId) => _rounds.TranscriptEntries(roundId);

    /// <summary>Every HE round with its decryption attempts (null unless completed).</summary>
    public List<(StoredRound Round, int? Attempts)> LoadAll() => db.Read(f =>
    {
        using SqliteCommand c = f.Command(
            """
            SELECT r.round_id, r.federation, r.configuration, r.deadlines_ms, r.min_clients, r.stage_opened_at, r.status, r.abort_reason,
                   r.abort_detail, r.result, r.survivors, r.dropped, h.attempts
            FROM rounds r JOIN he_rounds h ON h.round_id = r.round_id ORDER BY r.opened_at
            """);
        using SqliteDataReader r = c.ExecuteReader();
        var list = new List<(StoredRound, int?)>();
        while (r.Read())
        {
            list.Add((StoredRound.Read(r), r.IsDBNull(12) ? null : r.GetInt32(12)));
        }
        return list;
    });

    /// <summary>The round's replay log in order.</summary>
    public List<HeLogRow> Log(byte[] roundId) => db.Read(f =>
    {
        using SqliteCommand c = f.Command("SELECT seq, client_id, digest, envelope FROM he_log WHERE round_id = $id ORDER BY seq", ("$id", roundId));
        using SqliteDataReader r = c.ExecuteReader();
        var list = new List<HeLogRow>();
        while (r.Read())
        {
            list.Add(new HeLogRow(r.GetInt64(0), r.IsDBNull(1) ? 0 : (uint)r.GetInt64(1), r.IsDBNull(2) ? null : (byte[])r[2], r.IsDBNull(3) ? null : (byte[])r[3]));
        }
        return list;
    });

    /// <summary>Appends an accepted envelope to the log (and to the transcript when one is kept), in one transaction.</summary>
    public void Accept(byte[] roundId, long seq, uint clientId, byte[] digest, byte[] envelope, TranscriptEntry? transcript) => db.Write(f =>
    {
        AppendTranscript(f, roundId, transcript is null ? [] : [transcript]);
        f.Execute("INSERT INTO he_log(round_id, seq, client_id, digest, envelope) VALUES($id, $q, $c, $d, $e)",
            ("$id", roundId), ("$q", seq), ("$c", (long)clientId), ("$d", digest), ("$e", envelope));
        return 0;
    });

    /// <summary>Appends a stage close; when the round ended, stores the outcome and drops the log (only the result,
    /// and a transcript round's transcript messages, are kept).</summary>
    public void Close(byte[] roundId, long seq, long nowMs, RoundOutcome? outcome, int? attempts, IReadOnlyList<TranscriptEntry>? transcript) => db.Write(f =>
    {
        AppendTranscript(f, roundId, transcript ?? []);
        f.Execute("INSERT INTO he_log(round_id, seq) VALUES($id, $q)", ("$id", roundId), ("$q", seq));
        f.Execute("UPDATE rounds SET stage_opened_at = $t WHERE round_id = $id", ("$id", roundId), ("$t", nowMs));
        if (outcome is not null)
        {
            Finish(f, roundId, outcome, attempts);
        }
        return 0;
    });

    /// <summary>Ends a round outside the protocol (an operator abort).</summary>
    public void Finish(byte[] roundId, RoundOutcome outcome, IReadOnlyList<TranscriptEntry>? transcript) => db.Write(f =>
    {
        AppendTranscript(f, roundId, transcript ?? []);
        Finish(f, roundId, outcome, null);
        return 0;
    });

    private static void Finish(SqliteCommandFactory f, byte[] roundId, RoundOutcome o, int? attempts)
    {
        f.Execute("UPDATE rounds SET status = $s, abort_reason = $r, abort_detail = $d, result = $res, survivors = $sv, dropped = $dr WHERE round_id = $id",
            ("$id", roundId), ("$s", o.Status), ("$r", o.AbortReason), ("$d", o.AbortDetail), ("$res", o.Result), ("$sv", o.Survivors), ("$dr", o.Dropped));
        f.Execute("UPDATE he_rounds SET attempts = $a WHERE round_id = $id", ("$id", roundId), ("$a", attempts));
        f.Execute("DELETE FROM he_log WHERE round_id = $id", ("$id", roundId));
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
