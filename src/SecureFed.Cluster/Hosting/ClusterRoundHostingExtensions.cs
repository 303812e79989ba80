using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Hosting;
using Orleans.Runtime;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Rounds;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Storage;

namespace SecureFed.Cluster.Hosting;

/// <summary>
/// Puts the aggregator's rounds on the cluster: the round engine's grains on a silo, and the HTTP front end's round
/// host over those grains. <c>securefed serve --cluster</c> does both in one process (every silo is a front end).
/// </summary>
public static class ClusterRoundHostingExtensions
{
    /// <summary>The round, federation and token grains' services on a silo (call beside <see cref="ClusterHostingExtensions.UseSecureFedPostgres(ISiloBuilder)"/>).</summary>
    public static ISiloBuilder AddSecureFedRounds(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddRoundServices(builder.Services);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ClusterEngineCheck>();
        builder.Services.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>();
        // Orleans' default directory (LocalGrainDirectory) loses the entries a dead silo held and so deactivates every
        // activation on the survivors whose entry lived there (DeactivationReasonCode.DirectoryFailure): about a third
        // of a round's surviving shards would replay their logs after a kill (docs/cluster-design.md, "Faults"). The
        // distributed directory rebuilds a dead silo's ranges from the survivors' activations instead, keeping one
        // activation per grain; the logs' fencing stays the guard of the sums either way.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10.4.2; every silo of a cluster must use it (this call)
        builder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        return builder;
    }

    /// <summary>
    /// The aggregator's endpoints talk to the cluster's grains instead of the single node's SQLite rounds. Call before
    /// <c>AddSecureFedAggregator</c>; needs an Orleans silo or client in the same container and the connection string
    /// (a <see cref="ClusterConnectionString"/> service, which <see cref="ClusterHostingExtensions.UseSecureFedPostgres(ISiloBuilder)"/> registers).
    /// </summary>
    public static IServiceCollection AddSecureFedClusterFrontEnd(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddRoundServices(services);
        services.AddSingleton<IRoundHost, ClusterRoundHost>();
        // The budget endpoints and DP admission over the PostgreSQL ledger (the single node's SQLite ledger stays unused).
        services.AddSingleton<ClusterPrivacyBudgets>();
        services.AddSingleton<IPrivacyBudgets>(sp => sp.GetRequiredService<ClusterPrivacyBudgets>());
        services.AddSingleton<ClusterTranscripts>();
        return services;
    }

    private static void AddRoundServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<ClusterConnectionString>().Value));
        services.TryAddSingleton(sp => new RoundLogStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.TryAddSingleton<RoundCatalog>();
        services.TryAddSingleton<ClusterPrivacyLedgerStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedScheme, MaskingHostedScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedScheme, HeHostedScheme>());
        services.TryAddSingleton<HostedSchemes>();
        services.AddOptions<ClusterRoundOptions>().BindConfiguration(ClusterRoundOptions.Section)
            .Validate(o => o.Shards is >= 0 and <= ClusterRoundOptions.MaxShards, $"Cluster:Shards must be in [0, {ClusterRoundOptions.MaxShards}] (0: one per silo)");
    }
}
