using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>Creates parameterised commands on the database's connection inside the current transaction.</summary>
internal sealed class SqliteCommandFactory(SqliteConnection connection, SqliteTransaction? transaction)
{
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand c = connection.CreateCommand();
        c.Transaction = transaction;
        c.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            c.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return c;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand c = Command(sql, parameters);
        return c.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand c = Command(sql, parameters);
        object? v = c.ExecuteScalar();
        return v is DBNull ? null : v;
    }
}
