using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;
using SecureFed.Cluster.Schema;

namespace SecureFed.Cluster.Hosting;

/// <summary>
/// Migrates the schema as the silo's first lifecycle step, before membership, grain storage and reminders read their
/// queries from it; a silo whose build disagrees with the database stops here with a <see cref="SchemaMigrationException"/>.
/// </summary>
internal sealed partial class SchemaMigrationParticipant(ClusterConnectionString connectionString, ILogger<SchemaMigrationParticipant> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString.Value);
        SchemaMigrationReport report = await new SchemaMigrator().MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
        LogMigrated(report.CurrentVersion, report.Applied.Count, report.Elapsed.TotalMilliseconds, connectionString.ToString());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster schema at version {Version} ({Applied} steps applied now, {Milliseconds:F0} ms) on {Database}")]
    private partial void LogMigrated(int version, int applied, double milliseconds, string database);
}
