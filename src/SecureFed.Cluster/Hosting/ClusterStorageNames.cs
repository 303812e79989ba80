namespace SecureFed.Cluster.Hosting;

/// <summary>Names the cluster's hosting uses for configuration and providers.</summary>
public static class ClusterStorageNames
{
    /// <summary>The grain storage provider name: grains use <c>[PersistentState("...", ClusterStorageNames.GrainStorage)]</c>.</summary>
    public const string GrainStorage = "securefed";

    /// <summary>Connection string name in configuration (<c>ConnectionStrings:SecureFedCluster</c>, or the environment variable <c>ConnectionStrings__SecureFedCluster</c>).</summary>
    public const string ConnectionStringName = "SecureFedCluster";

    /// <summary>Environment variable read when configuration has no connection string (what <c>tools/postgres/start.sh</c> exports).</summary>
    public const string ConnectionStringVariable = "SECUREFED_POSTGRES";

    /// <summary>The ADO.NET invariant name Orleans uses to load Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";
}
