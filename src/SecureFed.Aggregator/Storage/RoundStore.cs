using SecureFed.Protocol.Hosting;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// Durable rounds of every scheme: the rounds row (configuration, deadlines, outcome), each running round's append-only
/// log of accepted envelopes and stage closes, and the transcript messages of rounds that keep one. Every method
/// commits before it returns, so the caller acknowledges only what is on disk.
/// </summary>
internal sealed class RoundStore(AggregatorDatabase db)
{
    /// <summary>Stores a new round; <paramref name="transcript"/> marks it as one whose messages are all kept for its transcript.</summary>
    /// <param name="r">The rounds row.</param>
    /// <param name="transcript">Whether the round keeps its messages for a transcript.</param>
    /// <param name="also">More rows written in the same transaction (a float round's encoding).</param>
    public void Insert(StoredRound r, bool transcript, Action<SqliteCommandFactory>? also = null) => db.Write(f =>
    {
        r.Insert(f);
        also?.Invoke(f);
        if (transcript)
        {
            f.Execute("INSERT INTO transcript_rounds(round_id) VALUES($id)", ("$id", r.RoundId));
        }
        return 0;
    });

    /// <summary>Stores the round's quiet close rule inside the caller's transaction (nothing for a round without one).</summary>
    public static void InsertQuietClose(SqliteCommandFactory f, byte[] roundId, Rounds.QuietCloseRule? rule)
    {
        if (rule is not null)
        {
            f.Execute("INSERT INTO round_close_rules(round_id, quiet_close) VALUES($id, $q)", ("$id", roundId), ("$q", rule.ToStored()));
        }
    }

    /// <summary>The round's quiet close rule, or null for a round opened without one.</summary>
    /// <exception cref="InvalidDataException">The stored rule is malformed.</exception>
    public Rounds.QuietCloseRule? QuietClose(byte[] roundId) =>
        Rounds.QuietCloseRule.FromStored(db.Read(f => f.Scalar("SELECT quiet_close FROM round_close_rules WHERE round_id = $id", ("$id", roundId)) as string));

    /// <summary>Whether the round was opened with transcripts enabled (so every message of it was kept).</summary>
    public bool HasTranscript(byte[] roundId) => db.Read(f => f.Scalar("SELECT 1 FROM transcript_rounds WHERE round_id = $id", ("$id", roundId)) is not null);

    /// <summary>The round's opening time (Unix ms), or null for an unknown round.</summary>
    public long? OpenedAtMs(byte[] roundId) => db.Read(f => f.Scalar("SELECT opened_at FROM rounds WHERE round_id = $id", ("$id", roundId)) is long t ? t : (long?)null);

    /// <summary>The round's transcript messages in the order they were stored.</summary>
    public List<TranscriptEntry> TranscriptEntries(byte[] roundId) => db.Read(f => f.Rows(
        "SELECT kind, party, at_ms, payload FROM transcript_messages WHERE round_id = $id ORDER BY id",
        r => new TranscriptEntry(r.GetInt32(0), (uint)r.GetInt64(1), r.GetInt64(2), (byte[])r[3]), ("$id", roundId)));

    /// <summary>Every running round (no outcome yet), in the order they were opened: what start-up rebuilds in memory.</summary>
    public List<StoredRound> LoadRunning() =>
        db.Read(f => f.Rows($"SELECT {StoredRound.Columns} FROM rounds WHERE outcome IS NULL ORDER BY opened_at", StoredRound.Read));

    /// <summary>One round's row, or null for an unknown round (ended rounds are served from here, not kept in memory).</summary>
    public StoredRound? Find(byte[] roundId) =>
        db.Read(f => f.Rows($"SELECT {StoredRound.Columns} FROM rounds WHERE round_id = $id", StoredRound.Read, ("$id", roundId))).SingleOrDefault();

    /// <summary>Every round's id, in the order they were opened (ids only: a listing loads one round at a time).</summary>
    public List<byte[]> Ids() => db.Read(f => f.Rows("SELECT round_id FROM rounds ORDER BY opened_at", r => (byte[])r[0]));

    /// <summary>How many rounds the database holds, running and ended.</summary>
    public long Count() => db.Read(f => (long)f.Scalar("SELECT COUNT(*) FROM rounds")!);

    /// <summary>A running round's log in order.</summary>
    public List<RoundLogEntry> Log(byte[] roundId) => db.Read(f => f.Rows(
        "SELECT seq, client_id, digest, envelope FROM round_log WHERE round_id = $id ORDER BY seq",
        r => new RoundLogEntry(r.GetInt64(0), r.IsDBNull(1) ? 0 : (uint)r.GetInt64(1), SqliteCommandFactory.BytesOrNull(r, 2), SqliteCommandFactory.BytesOrNull(r, 3)),
        ("$id", roundId)));

    /// <summary>Appends an accepted envelope to the log (and to the transcript when one is kept), in one transaction.</summary>
    public void Accept(byte[] roundId, long seq, uint clientId, byte[] digest, byte[] envelope, TranscriptEntry? transcript) =>
        Commit([f => AcceptRows(f, roundId, seq, clientId, digest, envelope, transcript)]);

    /// <summary>Commits <paramref name="writes"/> in one transaction (a group commit of a round's log); returns once durable.</summary>
    public void Commit(IReadOnlyList<Action<SqliteCommandFactory>> writes) => db.Write(f =>
    {
        foreach (Action<SqliteCommandFactory> w in writes)
        {
            w(f);
        }
        return 0;
    });

    /// <summary>The rows of an accepted envelope (<see cref="Accept"/>), inside the caller's transaction.</summary>
    public static void AcceptRows(SqliteCommandFactory f, byte[] roundId, long seq, uint clientId, byte[] digest, byte[] envelope, TranscriptEntry? transcript)
    {
        AppendTranscript(f, roundId, transcript is null ? [] : [transcript]);
        f.Execute("INSERT INTO round_log(round_id, seq, client_id, digest, envelope) VALUES($id, $q, $c, $d, $e)",
            ("$id", roundId), ("$q", seq), ("$c", (long)clientId), ("$d", digest), ("$e", envelope));
    }

    /// <summary>Appends a stage close; when the round ended, stores the outcome and drops the log but its digests (only
    /// the outcome, each accepted envelope's sender and digest, and a transcript round's transcript messages, are kept). <paramref name="also"/> writes more rows in the same
    /// transaction (a DP round's ledger charge).</summary>
    public void Close(byte[] roundId, long seq, long nowMs, RoundEnd? end, IReadOnlyList<TranscriptEntry>? transcript,
        Action<SqliteCommandFactory>? also = null) => Commit([f => CloseRows(f, roundId, seq, nowMs, end, transcript, also)]);

    /// <summary>The rows of a stage close (<see cref="Close"/>), inside the caller's transaction.</summary>
    public static void CloseRows(SqliteCommandFactory f, byte[] roundId, long seq, long nowMs, RoundEnd? end, IReadOnlyList<TranscriptEntry>? transcript,
        Action<SqliteCommandFactory>? also = null, string? graphSeed = null)
    {
        also?.Invoke(f);
        AppendTranscript(f, roundId, transcript ?? []);
        f.Execute("INSERT INTO round_log(round_id, seq) VALUES($id, $q)", ("$id", roundId), ("$q", seq));
        f.Execute("UPDATE rounds SET stage_opened_at = $t WHERE round_id = $id", ("$id", roundId), ("$t", nowMs));
        if (end is not null)
        {
            Finish(f, roundId, end, graphSeed);
        }
    }

    /// <summary>Ends a round outside the protocol (an operator abort).</summary>
    public void Finish(byte[] roundId, RoundEnd end, IReadOnlyList<TranscriptEntry>? transcript) => Commit([f => FinishRows(f, roundId, end, transcript)]);

    /// <summary>The rows of an operator abort (<see cref="Finish(byte[], RoundEnd, IReadOnlyList{TranscriptEntry}?)"/>), inside the caller's transaction.</summary>
    public static void FinishRows(SqliteCommandFactory f, byte[] roundId, RoundEnd end, IReadOnlyList<TranscriptEntry>? transcript, string? graphSeed = null)
    {
        AppendTranscript(f, roundId, transcript ?? []);
        Finish(f, roundId, end, graphSeed);
    }

    private static void Finish(SqliteCommandFactory f, byte[] roundId, RoundEnd end, string? graphSeed)
    {
        f.Execute("UPDATE rounds SET outcome = $o WHERE round_id = $id", ("$id", roundId), ("$o", StoredOutcome.Encode(end, graphSeed)));
        // The envelopes' bytes and the closes go; each accepted envelope's sender and digest stay, so a resend after a
        // restart is still recognised as the accepted envelope it is (200), not refused as late: the device whose
        // envelope ended the round may have been killed off before its answer (the kill -9 matrix found it).
        f.Execute("DELETE FROM round_log WHERE round_id = $id AND digest IS NULL", ("$id", roundId));
        f.Execute("UPDATE round_log SET envelope = NULL WHERE round_id = $id", ("$id", roundId));
    }

    /// <summary>The (sender, digest) of every envelope an ended round accepted (what ending it keeps of its log).</summary>
    public List<(uint ClientId, byte[] Digest)> EndedDigests(byte[] roundId) => db.Read(f => f.Rows(
        "SELECT client_id, digest FROM round_log WHERE round_id = $id AND digest IS NOT NULL", r => ((uint)r.GetInt64(0), (byte[])r[1]), ("$id", roundId)));

    private static void AppendTranscript(SqliteCommandFactory f, byte[] roundId, IReadOnlyList<TranscriptEntry> entries)
    {
        foreach (TranscriptEntry e in entries)
        {
            f.Execute("INSERT INTO transcript_messages(round_id, kind, party, at_ms, payload) VALUES($id, $k, $p, $t, $b)",
                ("$id", roundId), ("$k", e.Kind), ("$p", (long)e.Party), ("$t", e.AtMs), ("$b", e.Payload));
        }
    }
}
