using System.Diagnostics;
using Npgsql;

namespace SecureFed.Cluster.Schema;

/// <summary>
/// Brings a PostgreSQL database to this build's schema: applies the steps it lacks, in one transaction, under a
/// transaction-scoped advisory lock so that silos starting together serialise here and all but the first find
/// nothing to do. A second run is a no-op. Steps already applied are checked against their recorded checksums, and a
/// database migrated by a newer build is refused rather than used.
/// </summary>
public sealed class SchemaMigrator
{
    /// <summary>The advisory lock key all SecureFed migrators take ("SecFedMg" as a 64-bit big-endian number).</summary>
    public const long AdvisoryLockKey = 0x5365634665644D67;

    private const string HistoryTable = "securefed_schema_migrations";

    private readonly SchemaMigrationCatalog _catalog;

    /// <summary>Creates a migrator over <paramref name="catalog"/> (by default the embedded steps).</summary>
    public SchemaMigrator(SchemaMigrationCatalog? catalog = null) => _catalog = catalog ?? SchemaMigrationCatalog.Embedded;

    /// <summary>Applies the missing steps; returns after the commit.</summary>
    /// <exception cref="SchemaMigrationException">The database disagrees with this build, or a step failed.</exception>
    public async Task<SchemaMigrationReport> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var clock = Stopwatch.StartNew();
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS {HistoryTable}(
                version integer PRIMARY KEY, name text NOT NULL, checksum bytea NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken).ConfigureAwait(false);

        Dictionary<int, byte[]> applied = await ReadHistoryAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        Verify(applied);

        var appliedNow = new List<int>();
        foreach (SchemaMigration migration in _catalog.Migrations)
        {
            if (applied.ContainsKey(migration.Version))
            {
                continue;
            }

            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                throw new SchemaMigrationException(SchemaMigrationFailure.StepFailed, migration.Version,
                    $"Schema step {migration.Version} ({migration.Name}) failed: {e.MessageText}", e);
            }

            await using NpgsqlCommand record = new($"INSERT INTO {HistoryTable}(version, name, checksum) VALUES (@v, @n, @c)", connection, transaction);
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("n", migration.Name);
            record.Parameters.AddWithValue("c", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            appliedNow.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SchemaMigrationReport(appliedNow, _catalog.LatestVersion, clock.Elapsed);
    }

    private void Verify(Dictionary<int, byte[]> applied)
    {
        foreach ((int version, byte[] checksum) in applied.OrderBy(p => p.Key))
        {
            if (version > _catalog.LatestVersion || version < 1)
            {
                throw new SchemaMigrationException(SchemaMigrationFailure.DatabaseAhead, version,
                    $"The database has schema step {version}; this build knows steps 1..{_catalog.LatestVersion}. A newer build migrated it: run that build, or a database of this version.");
            }

            SchemaMigration known = _catalog.Migrations[version - 1];
            if (!checksum.AsSpan().SequenceEqual(known.Checksum))
            {
                throw new SchemaMigrationException(SchemaMigrationFailure.ChecksumMismatch, version,
                    $"Schema step {version} ({known.Name}) was applied with different text than this build carries; applied steps must never change (add a new step instead).");
            }
        }
    }

    private static async Task<Dictionary<int, byte[]>> ReadHistoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, byte[]>();
        await using NpgsqlCommand read = new($"SELECT version, checksum FROM {HistoryTable}", connection, transaction);
        await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[reader.GetInt32(0)] = (byte[])reader.GetValue(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = new(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
