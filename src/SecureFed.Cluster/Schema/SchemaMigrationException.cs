namespace SecureFed.Cluster.Schema;

/// <summary>The schema could not be migrated; nothing of the attempt was committed.</summary>
public sealed class SchemaMigrationException : Exception
{
    /// <summary>Creates the error for <paramref name="failure"/> at step <paramref name="version"/>.</summary>
    public SchemaMigrationException(SchemaMigrationFailure failure, int version, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Version = version;
    }

    /// <summary>What went wrong.</summary>
    public SchemaMigrationFailure Failure { get; }

    /// <summary>The schema step concerned.</summary>
    public int Version { get; }
}
