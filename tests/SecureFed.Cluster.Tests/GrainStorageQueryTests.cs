using Npgsql;
using SecureFed.Cluster.Schema;
using SecureFed.Cluster.Tests.Support;

namespace SecureFed.Cluster.Tests;

/// <summary>
/// Our grain-storage statements, run as the Orleans provider runs them (text from OrleansQuery, its parameter names,
/// untyped NULLs): Orleans treats "the version I sent came back" as a lost race, so every refused write must answer
/// exactly that, and every accepted one the next version.
/// </summary>
public sealed class GrainStorageQueryTests
{
    [PostgresFact]
    public async Task Writes_follow_the_version_and_a_stale_writer_gets_its_own_version_back()
    {
        await using TestDatabase db = await MigratedAsync();

        Assert.Equal(1, await RunAsync(db, "WriteToStorageKey", version: null, payload: [1]));
        Assert.Null(await RunAsync(db, "WriteToStorageKey", version: null, payload: [2]));   // a second "first" write
        Assert.Equal(2, await RunAsync(db, "WriteToStorageKey", version: 1, payload: [3]));
        Assert.Equal(1, await RunAsync(db, "WriteToStorageKey", version: 1, payload: [4]));  // stale: refused

        var row = Assert.Single(await db.RowsAsync("SELECT Version, PayloadBinary FROM OrleansStorage"));
        Assert.Equal(2, (int)row[0]);
        Assert.Equal(new byte[] { 3 }, (byte[])row[1]);
    }

    [PostgresFact]
    public async Task Clear_and_delete_need_the_current_version()
    {
        await using TestDatabase db = await MigratedAsync();
        await RunAsync(db, "WriteToStorageKey", version: null, payload: [1]);

        Assert.Equal(7, await RunAsync(db, "ClearStorageKey", version: 7));
        Assert.Equal(2, await RunAsync(db, "ClearStorageKey", version: 1));
        Assert.True(await db.ScalarAsync<bool>("SELECT PayloadBinary IS NULL FROM OrleansStorage"));
        Assert.Equal(2, await RunAsync(db, "ReadFromStorageKey", version: null));   // the row stays, without payload

        Assert.Equal(1, await RunAsync(db, "DeleteStorageKey", version: 1));
        Assert.Equal(3, await RunAsync(db, "DeleteStorageKey", version: 2));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage"));
    }

    private static async Task<TestDatabase> MigratedAsync()
    {
        TestDatabase db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(db.DataSource);
        return db;
    }

    // Binds the grain key of one fixed grain (no key extension) and returns the statement's first column, or null.
    private static async Task<int?> RunAsync(TestDatabase db, string queryKey, int? version, byte[]? payload = null)
    {
        string text = await db.ScalarAsync<string>("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @k", ("k", queryKey));
        await using NpgsqlCommand command = db.DataSource.CreateCommand(text);
        command.Parameters.AddWithValue("GrainIdHash", 11);
        command.Parameters.AddWithValue("GrainIdN0", 5L);
        command.Parameters.AddWithValue("GrainIdN1", 6L);
        command.Parameters.AddWithValue("GrainTypeHash", 22);
        command.Parameters.AddWithValue("GrainTypeString", "test.grain");
        command.Parameters.Add(new NpgsqlParameter("GrainIdExtensionString", DBNull.Value));
        command.Parameters.AddWithValue("ServiceId", "svc");
        command.Parameters.Add(new NpgsqlParameter("GrainStateVersion", version.HasValue ? version.Value : DBNull.Value));
        command.Parameters.Add(new NpgsqlParameter("PayloadBinary", payload is null ? DBNull.Value : payload));
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        // ReadFromStorageKey answers (PayloadBinary, Version); the writes answer one version column.
        int column = reader.FieldCount == 1 ? 0 : 1;
        return reader.IsDBNull(column) ? null : reader.GetInt32(column);
    }
}
