namespace SecureFed.Cluster.Rounds;

/// <summary>A silo's round engine version differs from the one its cluster's live silos run: it refuses to join.</summary>
public sealed class RoundEngineMismatchException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public RoundEngineMismatchException(string clusterId, int clusterVersion, int siloVersion, long liveSilos)
        : base($"cluster '{clusterId}' runs round engine version {clusterVersion} on {liveSilos} live silo(s); this silo runs version {siloVersion} and refuses to join " +
            "(stop every silo, then start the new version)")
    {
        ClusterId = clusterId;
        ClusterVersion = clusterVersion;
        SiloVersion = siloVersion;
    }

    /// <summary>The cluster id.</summary>
    public string ClusterId { get; }

    /// <summary>The version the cluster's live silos run.</summary>
    public int ClusterVersion { get; }

    /// <summary>This silo's version.</summary>
    public int SiloVersion { get; }
}
