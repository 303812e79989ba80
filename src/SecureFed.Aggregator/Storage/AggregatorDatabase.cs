using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// The service's SQLite database in WAL mode with synchronous=FULL: a committed transaction survives kill -9 (and power
/// loss), so anything acknowledged after <see cref="Write"/> returns is durable. One <see cref="LockedSqliteConnection"/>:
/// every hot read is served from memory.
/// </summary>
internal sealed class AggregatorDatabase : IDisposable
{
    private readonly LockedSqliteConnection _connection;

    public AggregatorDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        Path_ = Path.GetFullPath(path);
        try
        {
            _connection = new LockedSqliteConnection(Path_, "PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "PRAGMA busy_timeout=10000;");
        }
        catch (SqliteException e)
        {
            throw new StoreCheckFailedException(Path_, "open", e.Message, e);
        }
        try
        {
            StartupCheckTime = Read(f => StoreIntegrityCheck.Run(f, Path_));
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
        CheckSchemaVersion();
        Read(f => f.Execute(Schema));
        Read(f => f.Execute($"PRAGMA user_version={SchemaVersion};"));
    }

    public string Path_ { get; }

    /// <summary>How long the start-up integrity check took (<see cref="StoreIntegrityCheck"/>).</summary>
    public TimeSpan StartupCheckTime { get; }

    // Schema version (PRAGMA user_version). Version 2 keeps every running round, whatever its scheme, as one append-only
    // log (round_log): each accepted envelope with its sender and SHA-256, and each stage close (NULL envelope), in the
    // order the round's server saw them; replaying it rebuilds the round. When a round ends its closes and envelope bytes
    // are deleted (each envelope's sender and digest stay, so a resend after a restart is still answered 200) and the
    // outcome (StoredOutcome, MessagePack) stays in rounds. Only a round opened with transcripts enabled also keeps every
    // message in transcript_messages: the operator chose to publish them in the signed transcript.
    // Float and DP rounds keep their encoding in round_encodings (written with the rounds row), and each federation's
    // privacy ledger is privacy_ledger: one PrivacyLedgerEntry per row, a round's charge written in the same
    // transaction as its outcome. A round opened with a quiet close rule keeps it in round_close_rules (QuietCloseRule's
    // text, written with the rounds row). These tables only add to version 2, so a version-2 file gains them on start.
    private const int SchemaVersion = 2;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS clients(
            federation TEXT NOT NULL, client_id INTEGER NOT NULL, public_key BLOB NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0, enrolled_at INTEGER NOT NULL,
            PRIMARY KEY(federation, client_id), UNIQUE(federation, public_key));
        CREATE TABLE IF NOT EXISTS enrolment_tokens(
            token_hash BLOB PRIMARY KEY, federation TEXT NOT NULL, expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS rounds(
            round_id BLOB PRIMARY KEY, scheme INTEGER NOT NULL, federation TEXT NOT NULL, configuration BLOB NOT NULL,
            deadlines_ms TEXT NOT NULL, min_clients INTEGER NOT NULL, opened_at INTEGER NOT NULL, stage_opened_at INTEGER NOT NULL,
            outcome BLOB);
        CREATE TABLE IF NOT EXISTS round_log(
            round_id BLOB NOT NULL, seq INTEGER NOT NULL, client_id INTEGER, digest BLOB, envelope BLOB,
            PRIMARY KEY(round_id, seq));
        CREATE TABLE IF NOT EXISTS transcript_rounds(round_id BLOB PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS transcript_messages(
            id INTEGER PRIMARY KEY AUTOINCREMENT, round_id BLOB NOT NULL, kind INTEGER NOT NULL, party INTEGER NOT NULL,
            at_ms INTEGER NOT NULL, payload BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS transcript_messages_round ON transcript_messages(round_id, id);
        CREATE TABLE IF NOT EXISTS round_close_rules(round_id BLOB PRIMARY KEY, quiet_close TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS round_encodings(round_id BLOB PRIMARY KEY, float_encoding BLOB, dp BLOB);
        CREATE TABLE IF NOT EXISTS privacy_ledger(
            federation TEXT NOT NULL, seq INTEGER NOT NULL, round_id BLOB, entry BLOB NOT NULL,
            PRIMARY KEY(federation, seq));
        CREATE UNIQUE INDEX IF NOT EXISTS privacy_ledger_round ON privacy_ledger(round_id) WHERE round_id IS NOT NULL;
        """;

    /// <summary>Runs <paramref name="work"/> in one transaction; returns after the commit is durable.</summary>
    public T Write<T>(Func<SqliteCommandFactory, T> work) => _connection.Write(work);

    /// <summary>Runs a read without a write transaction.</summary>
    public T Read<T>(Func<SqliteCommandFactory, T> work) => _connection.Run(work);

    // A database written by an older schema (version 0 with tables) is refused rather than misread.
    private void CheckSchemaVersion()
    {
        var (version, hasRounds) = Read(f => f.Rows(
            "SELECT (SELECT user_version FROM pragma_user_version), (SELECT COUNT(*) FROM sqlite_master WHERE name = 'rounds')",
            r => (r.GetInt64(0), r.GetInt64(1) > 0)).Single());
        if (version != SchemaVersion && (version != 0 || hasRounds))
        {
            throw new InvalidOperationException($"the database {Path_} has schema version {version}; this service reads version {SchemaVersion} (finish or export its rounds with the older version, then start on a fresh file)");
        }
    }

    public void Dispose() => _connection.Dispose();
}
