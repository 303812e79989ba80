using Npgsql;
using SecureFed.Cluster.Hosting;

namespace SecureFed.Cluster.Tests.Support;

/// <summary>A fresh, empty database on the test server, dropped on dispose, so every test starts from no schema.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _name;

    private TestDatabase(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The server's connection string from the environment, or null.</summary>
    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(ClusterStorageNames.ConnectionStringVariable);

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        string server = ServerConnectionString ?? throw new InvalidOperationException("SECUREFED_POSTGRES is not set.");
        string name = $"securefed_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(name, builder.ConnectionString);
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using NpgsqlCommand command = DataSource.CreateCommand(sql);
        foreach ((string n, object v) in parameters)
        {
            command.Parameters.AddWithValue(n, v);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using NpgsqlCommand command = DataSource.CreateCommand(sql);
        foreach ((string n, object v) in parameters)
        {
            command.Parameters.AddWithValue(n, v);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<List<object[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using NpgsqlCommand command = DataSource.CreateCommand(sql);
        foreach ((string n, object v) in parameters)
        {
            command.Parameters.AddWithValue(n, v);
        }

        var rows = new List<object[]>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
