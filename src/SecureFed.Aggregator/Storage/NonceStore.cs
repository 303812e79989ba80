namespace SecureFed.Aggregator.Storage;

/// <summary>
/// The request nonces seen inside the replay window, per key, kept in the service's database (table
/// <c>request_nonces</c>) so a request is accepted once, across restarts (and kill -9) too; a nonce is forgotten only
/// after its timestamp has left the window, when the timestamp check alone refuses it. Its own connection with
/// synchronous=NORMAL: in WAL mode a committed insert survives a process crash without an fsync per request; only a
/// power loss can forget the last nonces, and a restart after one takes the replay window's own check to the rest.
/// </summary>
internal sealed class NonceStore : IDisposable
{
    // Sweep expired entries every this many insertions: amortised O(1), the table bounded by rate limit x window.
    private const int SweepInterval = 4096;

    private readonly LockedSqliteConnection _connection;
    private int _insertions;

    public NonceStore(AggregatorDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _connection = new LockedSqliteConnection(database.Path_, "PRAGMA synchronous=NORMAL;", "PRAGMA busy_timeout=10000;",
            "CREATE TABLE IF NOT EXISTS request_nonces(key_nonce BLOB PRIMARY KEY, timestamp_ms INTEGER NOT NULL) WITHOUT ROWID;");
    }

    /// <summary>Records the key's nonce; false when it was already used. Now and then forgets the nonces whose
    /// timestamps are older than <paramref name="oldestValidMs"/>.</summary>
    public bool TryUse(string keyHex, string nonceHex, long timestampMs, long oldestValidMs)
    {
        if (Interlocked.Increment(ref _insertions) % SweepInterval == 0)
        {
            _connection.Run(f => f.Execute("DELETE FROM request_nonces WHERE timestamp_ms < $t", ("$t", oldestValidMs)));
        }
        byte[] keyNonce = Convert.FromHexString(keyHex + nonceHex);
        return _connection.Run(f =>
            f.Execute("INSERT INTO request_nonces(key_nonce, timestamp_ms) VALUES ($k, $t) ON CONFLICT DO NOTHING", ("$k", keyNonce), ("$t", timestampMs)) == 1);
    }

    public void Dispose() => _connection.Dispose();
}
