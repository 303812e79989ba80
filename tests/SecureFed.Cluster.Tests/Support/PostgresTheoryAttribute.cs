namespace SecureFed.Cluster.Tests.Support;

/// <summary>A theory that needs a PostgreSQL server: skipped, with the reason, like <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (string.IsNullOrWhiteSpace(TestDatabase.ServerConnectionString))
        {
            Skip = "PostgreSQL not available: set SECUREFED_POSTGRES, e.g. eval \"$(tools/postgres/start.sh)\"";
        }
    }
}
