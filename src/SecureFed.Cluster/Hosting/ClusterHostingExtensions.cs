using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;

namespace SecureFed.Cluster.Hosting;

/// <summary>
/// Puts a silo's (or a client's) cluster state on PostgreSQL: Orleans membership, grain storage named
/// <see cref="ClusterStorageNames.GrainStorage"/> and reminders, over the schema <see cref="Schema.SchemaMigrator"/>
/// applies at silo start. Cluster and service ids stay the host's choice (<c>ClusterOptions</c>).
/// </summary>
public static class ClusterHostingExtensions
{
    /// <summary>Uses the connection string from the silo's configuration or the <c>SECUREFED_POSTGRES</c> variable.</summary>
    /// <exception cref="InvalidOperationException">Neither is set.</exception>
    public static ISiloBuilder UseSecureFedPostgres(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseSecureFedPostgres(ClusterConnectionString.TryRead(builder.Configuration) ?? throw Missing());
    }

    /// <summary>Uses <paramref name="connectionString"/> for membership, grain storage and reminders.</summary>
    public static ISiloBuilder UseSecureFedPostgres(this ISiloBuilder builder, ClusterConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        builder.Services.AddSingleton(connectionString);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrationParticipant>();
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = ClusterStorageNames.NpgsqlInvariant;
            options.ConnectionString = connectionString.Value;
        });
        builder.AddAdoNetGrainStorage(ClusterStorageNames.GrainStorage, options =>
        {
            options.Invariant = ClusterStorageNames.NpgsqlInvariant;
            options.ConnectionString = connectionString.Value;
        });
        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = ClusterStorageNames.NpgsqlInvariant;
            options.ConnectionString = connectionString.Value;
        });
        return builder;
    }

    /// <summary>An Orleans client finds the silos' gateways in the membership table.</summary>
    public static IClientBuilder UseSecureFedPostgresGateways(this IClientBuilder builder, ClusterConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = ClusterStorageNames.NpgsqlInvariant;
            options.ConnectionString = connectionString.Value;
        });
    }

    private static InvalidOperationException Missing() => new(
        $"The cluster needs a PostgreSQL connection string: set ConnectionStrings:{ClusterStorageNames.ConnectionStringName} in configuration " +
        $"(environment: ConnectionStrings__{ClusterStorageNames.ConnectionStringName}) or {ClusterStorageNames.ConnectionStringVariable}.");
}
