using Npgsql;
using SecureFed.Cluster.Schema;
using SecureFed.Cluster.Tests.Support;
using Xunit.Abstractions;

namespace SecureFed.Cluster.Tests;

/// <summary>The migration runner against a real PostgreSQL server, from an empty database each time.</summary>
public sealed class SchemaMigratorTests(ITestOutputHelper output)
{
    private static readonly int Latest = SchemaMigrationCatalog.Embedded.LatestVersion;

    [PostgresFact]
    public async Task First_run_applies_every_step_and_a_second_run_is_a_no_op()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        var migrator = new SchemaMigrator();

        SchemaMigrationReport first = await migrator.MigrateAsync(db.DataSource);
        string schemaAfterFirst = await SchemaFingerprintAsync(db);
        SchemaMigrationReport second = await migrator.MigrateAsync(db.DataSource);

        output.WriteLine($"migration: first run {first.Elapsed.TotalMilliseconds:F0} ms ({first.Applied.Count} steps), second run {second.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(Enumerable.Range(1, Latest), first.Applied);
        Assert.Empty(second.Applied);
        Assert.Equal(Latest, second.CurrentVersion);
        Assert.Equal(schemaAfterFirst, await SchemaFingerprintAsync(db));
        Assert.Equal((long)Latest, await db.ScalarAsync<long>("SELECT count(*) FROM securefed_schema_migrations"));
        foreach (string key in OrleansQueryKeys.All)
        {
            Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery WHERE QueryKey = @k", ("k", key)));
        }
    }

    [PostgresFact]
    public async Task Silos_starting_together_apply_each_step_exactly_once()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();

        SchemaMigrationReport[] reports = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(_ => Task.Run(() => new SchemaMigrator().MigrateAsync(db.DataSource))));

        Assert.Equal(Enumerable.Range(1, Latest), reports.SelectMany(r => r.Applied).Order());
        Assert.Single(reports, r => r.Applied.Count > 0);
        Assert.All(reports, r => Assert.Equal(Latest, r.CurrentVersion));
    }

    [PostgresFact]
    public async Task A_changed_applied_step_is_refused_and_nothing_changes()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(db.DataSource);
        await db.ExecuteAsync("UPDATE securefed_schema_migrations SET checksum = '\\x00'::bytea WHERE version = 2");
        await db.ExecuteAsync("DELETE FROM securefed_schema_migrations WHERE version = @v", ("v", Latest));
        string before = await SchemaFingerprintAsync(db);

        var e = await Assert.ThrowsAsync<SchemaMigrationException>(() => new SchemaMigrator().MigrateAsync(db.DataSource));

        Assert.Equal(SchemaMigrationFailure.ChecksumMismatch, e.Failure);
        Assert.Equal(2, e.Version);
        Assert.Equal(before, await SchemaFingerprintAsync(db));
        Assert.Equal((long)Latest - 1, await db.ScalarAsync<long>("SELECT count(*) FROM securefed_schema_migrations"));
    }

    [PostgresFact]
    public async Task A_database_migrated_by_a_newer_build_is_refused()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(db.DataSource);
        await db.ExecuteAsync("INSERT INTO securefed_schema_migrations(version, name, checksum) VALUES (@v, 'future', '\\x01'::bytea)", ("v", Latest + 1));

        var e = await Assert.ThrowsAsync<SchemaMigrationException>(() => new SchemaMigrator().MigrateAsync(db.DataSource));

        Assert.Equal(SchemaMigrationFailure.DatabaseAhead, e.Failure);
        Assert.Equal(Latest + 1, e.Version);
    }

    [PostgresFact]
    public async Task A_failing_step_leaves_no_trace_of_the_run()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        // Step 2 creates OrleansMembershipVersionTable; a table of that name already there makes it fail midway.
        await db.ExecuteAsync("CREATE TABLE OrleansMembershipVersionTable(x integer)");

        var e = await Assert.ThrowsAsync<SchemaMigrationException>(() => new SchemaMigrator().MigrateAsync(db.DataSource));

        Assert.Equal(SchemaMigrationFailure.StepFailed, e.Failure);
        Assert.Equal(2, e.Version);
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('orleansquery') IS NULL"));
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('securefed_schema_migrations') IS NULL"));
    }

    [PostgresFact]
    public async Task A_database_main_took_to_step_8_gets_the_privacy_ledger_as_step_9_and_the_quiet_close_rule_as_step_10()
    {
        // What main's build (steps 1-8, shard_count last) leaves: the same files, so the same names and checksums.
        IReadOnlyList<SchemaMigration> steps = SchemaMigrationCatalog.Embedded.Migrations;
        Assert.Equal("securefed_round_shards", steps[7].Name);
        Assert.Equal("securefed_privacy_budgets", steps[8].Name);
        Assert.Equal("securefed_quiet_close", steps[9].Name);
        Assert.Equal(10, Latest);
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("CREATE TABLE securefed_schema_migrations(version integer PRIMARY KEY, name text NOT NULL, checksum bytea NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (SchemaMigration step in steps.Take(8))
        {
            await db.ExecuteAsync(step.Sql);
            await db.ExecuteAsync("INSERT INTO securefed_schema_migrations(version, name, checksum) VALUES (@v, @n, @c)",
                ("v", step.Version), ("n", step.Name), ("c", step.Checksum));
        }

        SchemaMigrationReport report = await new SchemaMigrator().MigrateAsync(db.DataSource);

        Assert.Equal(new[] { 9, 10 }, report.Applied);
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'securefed_rounds' AND column_name = 'quiet_close'"));
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('securefed_privacy_budgets') IS NOT NULL"));
        Assert.Equal(2L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'securefed_rounds' AND column_name IN ('shard_count', 'dp_plan')"));
    }

    // Tables, columns and query rows: what a second run must leave exactly as it was.
    private static async Task<string> SchemaFingerprintAsync(TestDatabase db)
    {
        await using NpgsqlCommand command = db.DataSource.CreateCommand("""
            SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)
                   || '|' || COALESCE((SELECT string_agg(md5(QueryKey || QueryText), ',' ORDER BY QueryKey) FROM OrleansQuery), '')
            FROM information_schema.columns WHERE table_schema = 'public'
            """);
        try
        {
            return (string)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return "no schema";
        }
    }
}
