namespace SecureFed.Cluster.Hosting;

/// <summary>
/// How the cluster spreads a round (configuration section <c>Cluster</c>; <c>serve --cluster --shards N</c>).
/// </summary>
internal sealed class ClusterRoundOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cluster";

    /// <summary>The most shards a round may have.</summary>
    public const int MaxShards = 256;

    /// <summary>Shards per masking round; 0 (the default) means one per active silo when the round opens, so each
    /// silo holds about 1/S of the clients and does about 1/S of the unmasking. 1 keeps the whole round in its round
    /// grain. HE rounds have one shard whatever this says (their engine does not split yet).</summary>
    public int Shards { get; set; }

    /// <summary>The shard count of a round opened while <paramref name="activeSilos"/> silos are up.</summary>
    public int ShardsFor(int activeSilos) => Math.Clamp(Shards > 0 ? Shards : activeSilos, 1, MaxShards);
}
