using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// The request nonces seen inside the replay window, kept in the service's database (table <c>request_nonces</c>) so a
/// request captured before a restart (or a kill -9) is still refused after it. Its own connection with
/// synchronous=NORMAL: in WAL mode a committed insert survives a process crash without an fsync per request; only a
/// power loss can forget the last nonces, and a restart after one takes the replay window's own check to the rest.
/// </summary>
internal sealed class NonceStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public NonceStore(AggregatorDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Path_, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA synchronous=NORMAL;");
        Execute("PRAGMA busy_timeout=10000;");
        Execute("CREATE TABLE IF NOT EXISTS request_nonces(key_nonce BLOB PRIMARY KEY, timestamp_ms INTEGER NOT NULL) WITHOUT ROWID;");
    }

    /// <summary>Records (key, nonce); false when it was already recorded.</summary>
    public bool TryUse(byte[] keyNonce, long timestampMs)
    {
        lock (_gate)
        {
            using SqliteCommand c = _connection.CreateCommand();
            c.CommandText = "INSERT INTO request_nonces(key_nonce, timestamp_ms) VALUES ($k, $t) ON CONFLICT DO NOTHING";
            c.Parameters.AddWithValue("$k", keyNonce);
            c.Parameters.AddWithValue("$t", timestampMs);
            return c.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>Forgets nonces whose timestamps left the window (the timestamp check alone refuses those requests).</summary>
    public void Forget(long olderThanMs)
    {
        lock (_gate)
        {
            using SqliteCommand c = _connection.CreateCommand();
            c.CommandText = "DELETE FROM request_nonces WHERE timestamp_ms < $t";
            c.Parameters.AddWithValue("$t", olderThanMs);
            c.ExecuteNonQuery();
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
