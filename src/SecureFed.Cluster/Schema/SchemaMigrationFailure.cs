namespace SecureFed.Cluster.Schema;

/// <summary>Why the schema could not be brought to the version this build expects.</summary>
public enum SchemaMigrationFailure
{
    /// <summary>A step recorded as applied has different text in this build: the database and the code disagree.</summary>
    ChecksumMismatch = 1,

    /// <summary>The database holds a step this build does not know: it was migrated by a newer build.</summary>
    DatabaseAhead = 2,

    /// <summary>A step's SQL failed; nothing of this run was kept (one transaction).</summary>
    StepFailed = 3,
}
