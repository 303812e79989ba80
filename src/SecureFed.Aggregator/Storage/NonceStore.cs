namespace SecureFed.Aggregator.Storage;

/// <summary>
/// The request nonces seen inside the replay window, kept in the service's database (table <c>request_nonces</c>) so a
/// request captured before a restart (or a kill -9) is still refused after it. Its own connection with
/// synchronous=NORMAL: in WAL mode a committed insert survives a process crash without an fsync per request; only a
/// power loss can forget the last nonces, and a restart after one takes the replay window's own check to the rest.
/// </summary>
internal sealed class NonceStore : IDisposable
{
    private readonly LockedSqliteConnection _connection;

    public NonceStore(AggregatorDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _connection = new LockedSqliteConnection(database.Path_, "PRAGMA synchronous=NORMAL;", "PRAGMA busy_timeout=10000;",
            "CREATE TABLE IF NOT EXISTS request_nonces(key_nonce BLOB PRIMARY KEY, timestamp_ms INTEGER NOT NULL) WITHOUT ROWID;");
    }

    /// <summary>Records (key, nonce); false when it was already recorded.</summary>
    public bool TryUse(byte[] keyNonce, long timestampMs) => _connection.Run(f =>
        f.Execute("INSERT INTO request_nonces(key_nonce, timestamp_ms) VALUES ($k, $t) ON CONFLICT DO NOTHING", ("$k", keyNonce), ("$t", timestampMs)) == 1);

    /// <summary>Forgets nonces whose timestamps left the window (the timestamp check alone refuses those requests).</summary>
    public void Forget(long olderThanMs) => _connection.Run(f => f.Execute("DELETE FROM request_nonces WHERE timestamp_ms < $t", ("$t", olderThanMs)));

    public void Dispose() => _connection.Dispose();
}
