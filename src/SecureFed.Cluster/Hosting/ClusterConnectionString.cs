using Microsoft.Extensions.Configuration;
using Npgsql;

namespace SecureFed.Cluster.Hosting;

/// <summary>
/// The PostgreSQL connection string of the cluster, from configuration or the environment, never from a command line
/// (which shows in process lists and logs). <see cref="ToString"/> hides the password.
/// </summary>
public sealed class ClusterConnectionString
{
    private ClusterConnectionString(string value) => Value = value;

    /// <summary>The full connection string, password included: hand it to Npgsql and Orleans only, never to a log.</summary>
    public string Value { get; }

    /// <summary>Wraps an explicit connection string, checking that Npgsql can parse it.</summary>
    /// <exception cref="ArgumentException">Not a valid Npgsql connection string (the message does not repeat it).</exception>
    public static ClusterConnectionString From(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            // The parser's message may quote the string; do not pass it on.
            throw new ArgumentException("The cluster's PostgreSQL connection string is not a valid Npgsql connection string.", nameof(value));
        }

        return new ClusterConnectionString(value);
    }

    /// <summary>
    /// Reads <c>ConnectionStrings:SecureFedCluster</c> from <paramref name="configuration"/>, else the
    /// <c>SECUREFED_POSTGRES</c> environment variable; null when neither is set.
    /// </summary>
    public static ClusterConnectionString? TryRead(IConfiguration? configuration)
    {
        string? value = configuration?.GetConnectionString(ClusterStorageNames.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
        {
            value = Environment.GetEnvironmentVariable(ClusterStorageNames.ConnectionStringVariable);
        }

        return string.IsNullOrWhiteSpace(value) ? null : From(value);
    }

    /// <summary>Host, port and database, without credentials: safe for logs.</summary>
    public override string ToString()
    {
        var builder = new NpgsqlConnectionStringBuilder(Value);
        return $"Host={builder.Host};Port={builder.Port};Database={builder.Database}";
    }
}
