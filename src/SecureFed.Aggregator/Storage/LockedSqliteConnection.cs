using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// One connection to the service's SQLite file with the pragmas its owner chose, every command serialised by a lock:
/// SQLite has a single writer anyway. <see cref="AggregatorDatabase"/> and <see cref="NonceStore"/> each hold one.
/// </summary>
internal sealed class LockedSqliteConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    /// <summary>Opens <paramref name="path"/> and runs <paramref name="pragmas"/> in order; nothing stays open if one fails.</summary>
    public LockedSqliteConnection(string path, params string[] pragmas)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            _connection.Open();
            foreach (string pragma in pragmas)
            {
                Run(f => f.Execute(pragma));
            }
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction; returns after the commit.</summary>
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

    /// <summary>Runs <paramref name="work"/> without a transaction (each statement commits by itself).</summary>
    public T Run<T>(Func<SqliteCommandFactory, T> work)
    {
        lock (_gate)
        {
            return work(new SqliteCommandFactory(_connection, null));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }
}
