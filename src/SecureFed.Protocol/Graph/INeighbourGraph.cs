namespace SecureFed.Protocol.Graph;

/// <summary>
/// Who masks with whom and who holds whose shares. Built by every party from public data (the configuration, the
/// session id and the set of clients that advertised keys), so the server cannot choose it.
/// </summary>
public interface INeighbourGraph
{
    /// <summary>The neighbours of <paramref name="clientId"/> (never itself), ascending.</summary>
    IReadOnlyList<uint> NeighboursOf(uint clientId);

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are neighbours.</summary>
    bool AreNeighbours(uint a, uint b);
}
