namespace SecureFed.Cluster.Schema;

/// <summary>One versioned step of the cluster's PostgreSQL schema: SQL applied once, in version order.</summary>
/// <param name="Version">Dense version number starting at 1; the order of application.</param>
/// <param name="Name">What the step creates (from the file name), recorded beside the version.</param>
/// <param name="Sql">The step's SQL text, run in the migration transaction.</param>
/// <param name="Checksum">SHA-256 of <paramref name="Sql"/> (UTF-8); an applied step whose text later changes is refused.</param>
public sealed record SchemaMigration(int Version, string Name, string Sql, byte[] Checksum);
