using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// The service's SQLite database in WAL mode with synchronous=FULL: a committed transaction survives kill -9 (and power
/// loss), so anything acknowledged after <see cref="Write"/> returns is durable. One connection, serialised by a lock:
/// SQLite has a single writer anyway and every hot read is served from memory.
/// </summary>
internal sealed class AggregatorDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public AggregatorDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        Path_ = Path.GetFullPath(path);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path_, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("PRAGMA busy_timeout=10000;");
        Execute(Schema);
    }

    public string Path_ { get; }

    // Masked inputs are not stored for the protocol: R2 keeps only the running sum (running_sums) and who contributed
    // (envelopes rows with a NULL envelope). Only a round opened with transcripts enabled keeps every accepted message,
    // masked inputs included, in transcript_messages: the operator chose to publish them in the signed transcript.
    // HE rounds (a he_rounds row; their configuration column holds an HeRoundConfiguration) keep the server's replay
    // log in he_log: every accepted envelope (uploads included: the live server keeps only their sum) and every stage
    // close (NULL envelope), deleted when the round ends.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS clients(
            federation TEXT NOT NULL, client_id INTEGER NOT NULL, public_key BLOB NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0, enrolled_at INTEGER NOT NULL,
            PRIMARY KEY(federation, client_id), UNIQUE(federation, public_key));
        CREATE TABLE IF NOT EXISTS enrolment_tokens(
            token_hash BLOB PRIMARY KEY, federation TEXT NOT NULL, expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS rounds(
            round_id BLOB PRIMARY KEY, federation TEXT NOT NULL, configuration BLOB NOT NULL, deadlines_ms TEXT NOT NULL,
            min_clients INTEGER NOT NULL, opened_at INTEGER NOT NULL, stage_opened_at INTEGER NOT NULL, status TEXT NOT NULL,
            abort_reason INTEGER, abort_detail TEXT, result BLOB, survivors BLOB, dropped BLOB);
        CREATE TABLE IF NOT EXISTS envelopes(
            round_id BLOB NOT NULL, stage INTEGER NOT NULL, client_id INTEGER NOT NULL, digest BLOB NOT NULL, envelope BLOB,
            PRIMARY KEY(round_id, stage, client_id));
        CREATE TABLE IF NOT EXISTS running_sums(round_id BLOB PRIMARY KEY, sums BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS stage_closes(
            round_id BLOB NOT NULL, stage INTEGER NOT NULL, closed_at INTEGER NOT NULL, PRIMARY KEY(round_id, stage));
        CREATE TABLE IF NOT EXISTS transcript_rounds(round_id BLOB PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS transcript_messages(
            id INTEGER PRIMARY KEY AUTOINCREMENT, round_id BLOB NOT NULL, kind INTEGER NOT NULL, party INTEGER NOT NULL,
            at_ms INTEGER NOT NULL, payload BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS transcript_messages_round ON transcript_messages(round_id, id);
        CREATE TABLE IF NOT EXISTS he_rounds(round_id BLOB PRIMARY KEY, attempts INTEGER);
        CREATE TABLE IF NOT EXISTS he_log(
            round_id BLOB NOT NULL, seq INTEGER NOT NULL, client_id INTEGER, digest BLOB, envelope BLOB,
            PRIMARY KEY(round_id, seq));
        """;

    /// <summary>Runs <paramref name="work"/> in one transaction; returns after the commit is durable.</summary>
    public T Write<T>(Func<SqliteCommandFactory, T> work)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = _connection.BeginTransaction();
            T result = work(new SqliteCommandFactory(_connection, tx));
            tx.Commit();
            return result;
        }
    }

    /// <summary>Runs a read without a write transaction.</summary>
    public T Read<T>(Func<SqliteCommandFactory, T> work)
    {
        lock (_gate)
        {
            return work(new SqliteCommandFactory(_connection, null));
        }
    }

    private void Execute(string sql)
    {
        using SqliteCommand c = _connection.CreateCommand();
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }
}
