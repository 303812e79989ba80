namespace SecureFed.Cluster.Tests.Support;

/// <summary>
/// A fact that needs a PostgreSQL server: skipped, with the reason, where <c>SECUREFED_POSTGRES</c> is not set
/// (tools/postgres/start.sh sets it; .ci/run starts the server and fails when such tests were skipped).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(TestDatabase.ServerConnectionString))
        {
            Skip = "PostgreSQL not available: set SECUREFED_POSTGRES, e.g. eval \"$(tools/postgres/start.sh)\"";
        }
    }
}
