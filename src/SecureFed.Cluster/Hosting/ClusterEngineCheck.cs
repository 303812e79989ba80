using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;
using SecureFed.Cluster.Rounds;

namespace SecureFed.Cluster.Hosting;

/// <summary>
/// Refuses to start a silo whose round engine version differs from the one its cluster runs while silos of that
/// version are alive (<c>securefed_cluster_engines</c>, keyed by cluster id): a mixed cluster would hand a round's
/// log to an engine that misreads it. With no live silo the cluster is being upgraded as a whole and the new version
/// is recorded. A silo lifecycle step after the schema migration and before the silo joins the membership.
/// </summary>
internal sealed partial class ClusterEngineCheck(NpgsqlDataSource dataSource, IOptions<ClusterOptions> cluster, ILogger<ClusterEngineCheck> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterEngineCheck), ServiceLifecycleStage.RuntimeInitialize, CheckAsync);

    /// <exception cref="RoundEngineMismatchException">The cluster's live silos run another engine version.</exception>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        string clusterId = cluster.Value.ClusterId;
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (NpgsqlCommand lockRow = new("SELECT pg_advisory_xact_lock(hashtext('securefed_cluster_engines'))", connection, tx))
        {
            await lockRow.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        int? recorded;
        await using (NpgsqlCommand read = new("SELECT engine_version FROM securefed_cluster_engines WHERE cluster_id = @c", connection, tx))
        {
            read.Parameters.Add(new NpgsqlParameter<string>("c", NpgsqlDbType.Text) { TypedValue = clusterId });
            recorded = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : null;
        }
        if (recorded is { } version && version != RoundEngine.Version)
        {
            long alive;
            await using (NpgsqlCommand count = new("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = 3", connection, tx))
            {
                count.Parameters.Add(new NpgsqlParameter<string>("c", NpgsqlDbType.Varchar) { TypedValue = clusterId });
                alive = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
            if (alive > 0)
            {
                throw new RoundEngineMismatchException(clusterId, version, RoundEngine.Version, alive);
            }
        }
        if (recorded != RoundEngine.Version)
        {
            await using NpgsqlCommand upsert = new("""
                INSERT INTO securefed_cluster_engines(cluster_id, engine_version) VALUES (@c, @v)
                ON CONFLICT (cluster_id) DO UPDATE SET engine_version = excluded.engine_version, updated_at = now()
                """, connection, tx);
            upsert.Parameters.Add(new NpgsqlParameter<string>("c", NpgsqlDbType.Text) { TypedValue = clusterId });
            upsert.Parameters.Add(new NpgsqlParameter<int>("v", NpgsqlDbType.Integer) { TypedValue = RoundEngine.Version });
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogChecked(clusterId, RoundEngine.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {ClusterId} runs round engine version {Version}")]
    private partial void LogChecked(string clusterId, int version);
}
