using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using SecureFed.Cluster.Hosting;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `serve --cluster`: the aggregator's web application also hosts an Orleans silo on PostgreSQL, and its endpoints
/// talk to the round grains instead of the single node's SQLite rounds. The connection string comes from
/// configuration or the environment only (ConnectionStrings__SecureFedCluster, SECUREFED_POSTGRES).
/// </summary>
internal sealed class ClusterSilo(string clusterId, IPAddress address, int siloPort, int gatewayPort)
{
    public string ClusterId { get; } = clusterId;

    public IPAddress Address { get; } = address;

    public int SiloPort { get; } = siloPort;

    public int GatewayPort { get; } = gatewayPort;

    /// <summary>Host, port and database of the cluster's PostgreSQL (no password), once configured.</summary>
    public string Database { get; private set; } = "";

    /// <exception cref="ClusterConfigurationException">No connection string in configuration or the environment.</exception>
    public void Configure(WebApplicationBuilder builder)
    {
        ClusterConnectionString connection = ClusterConnectionString.TryRead(builder.Configuration)
            ?? throw new ClusterConfigurationException(
                $"--cluster needs the PostgreSQL connection string in ConnectionStrings__{ClusterStorageNames.ConnectionStringName} or {ClusterStorageNames.ConnectionStringVariable} " +
                "(tools/postgres/start.sh prints one for a private server)");
        Database = connection.ToString();
        builder.UseOrleans(silo =>
        {
            silo.UseSecureFedPostgres(connection);
            silo.AddSecureFedRounds();
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ClusterId;
            });
            silo.ConfigureEndpoints(Address, SiloPort, GatewayPort);
            // A silo that stops answering is declared dead after about 3 missed 2-second probes (Orleans' default is
            // about half a minute): its rounds move to the survivors while their clients are still retrying.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 3;
            });
        });
        builder.Services.AddSecureFedClusterFrontEnd();
    }
}

/// <summary>`serve --cluster` cannot start with the configuration it has.</summary>
internal sealed class ClusterConfigurationException(string message) : Exception(message);
