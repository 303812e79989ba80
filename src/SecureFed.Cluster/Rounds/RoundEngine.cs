namespace SecureFed.Cluster.Rounds;

/// <summary>
/// The version of the round engine's log contract as the cluster stores it (<c>securefed_rounds.engine_version</c>,
/// <c>securefed_cluster_engines</c>): the event kinds of <see cref="RoundLogKinds"/> and the engine's replay
/// determinism. Raise it when a build would replay an existing log differently; silos of two versions then refuse to
/// share a cluster, and a round is only rebuilt by the version that opened it. Version 2: sharded rounds (the root's
/// <c>Decided</c>/<c>Completed</c> events and the shards' streams).
/// </summary>
public static class RoundEngine
{
    /// <summary>This build's version.</summary>
    public const int Version = 2;
}
