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

    /// <summary>Every row <paramref name="sql"/> returns, in order, each read by <paramref name="read"/>.</summary>
    public List<T> Rows<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand c = Command(sql, parameters);
        using SqliteDataReader r = c.ExecuteReader();
        var rows = new List<T>();
        while (r.Read())
        {
            rows.Add(read(r));
        }
        return rows;
    }

    /// <summary>Column <paramref name="i"/> of the current row as bytes, null for SQL NULL.</summary>
    public static byte[]? BytesOrNull(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : (byte[])r[i];

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand c = Command(sql, parameters);
        object? v = c.ExecuteScalar();
        return v is DBNull ? null : v;
    }
}
