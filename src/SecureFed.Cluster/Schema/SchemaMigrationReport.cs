namespace SecureFed.Cluster.Schema;

/// <summary>What one run of <see cref="SchemaMigrator"/> did.</summary>
/// <param name="Applied">Versions this run applied, in order (empty when the schema was already current).</param>
/// <param name="CurrentVersion">The schema version after the run.</param>
/// <param name="Elapsed">Wall time of the run, waiting for the migration lock included.</param>
public sealed record SchemaMigrationReport(IReadOnlyList<int> Applied, int CurrentVersion, TimeSpan Elapsed);
