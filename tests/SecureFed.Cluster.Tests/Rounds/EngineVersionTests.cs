using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SecureFed.Cluster.Hosting;
using SecureFed.Cluster.Rounds;
using SecureFed.Cluster.Schema;
using SecureFed.Cluster.Tests.Support;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>A silo's round engine version other than its cluster's is refused at start (the per-round check is in ClusterRoundTests).</summary>
public sealed class EngineVersionTests
{
    [PostgresFact]
    public async Task A_silo_of_another_engine_version_refuses_to_join_while_the_clusters_silos_are_alive()
    {
        await using TestDatabase db = await TestDatabase.CreateAsync();
        await new SchemaMigrator().MigrateAsync(db.DataSource);
        await db.ExecuteAsync("INSERT INTO securefed_cluster_engines(cluster_id, engine_version) VALUES ('old', @v)", ("v", RoundEngine.Version + 1));
        await db.ExecuteAsync("INSERT INTO OrleansMembershipVersionTable(DeploymentId) VALUES ('old')");
        await db.ExecuteAsync("""
            INSERT INTO OrleansMembershipTable(DeploymentId, Address, Port, Generation, SiloName, HostName, Status, StartTime, IAmAliveTime)
            VALUES ('old', '127.0.0.1', 11111, 1, 'silo', 'host', 3, now(), now())
            """);
        ClusterEngineCheck check = Check(db, "old");

        var refused = await Assert.ThrowsAsync<RoundEngineMismatchException>(() => check.CheckAsync(CancellationToken.None));
        Assert.Equal(RoundEngine.Version + 1, refused.ClusterVersion);
        Assert.Contains("refuses to join", refused.Message, StringComparison.Ordinal);

        // Every silo of that version gone (the whole cluster is being upgraded): the new version is recorded.
        await db.ExecuteAsync("UPDATE OrleansMembershipTable SET Status = 6 WHERE DeploymentId = 'old'");
        await check.CheckAsync(CancellationToken.None);
        Assert.Equal(RoundEngine.Version, await db.ScalarAsync<int>("SELECT engine_version FROM securefed_cluster_engines WHERE cluster_id = 'old'"));
    }

    private static ClusterEngineCheck Check(TestDatabase db, string clusterId) =>
        new(db.DataSource, Options.Create(new ClusterOptions { ClusterId = clusterId }), NullLogger<ClusterEngineCheck>.Instance);
}
