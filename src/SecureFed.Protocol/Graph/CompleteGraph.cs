namespace SecureFed.Protocol.Graph;

/// <summary>Every member is every other member's neighbour (Bonawitz et al. 2017).</summary>
public sealed class CompleteGraph : INeighbourGraph
{
    private readonly uint[] _members;
    private readonly HashSet<uint> _set;

    /// <summary>Creates the graph over <paramref name="members"/> (distinct ids, any order).</summary>
    public CompleteGraph(IEnumerable<uint> members)
    {
        _members = [.. members.Order()];
        _set = [.. _members];
    }

    /// <inheritdoc />
    public IReadOnlyList<uint> NeighboursOf(uint clientId) =>
        _set.Contains(clientId) ? [.. _members.Where(m => m != clientId)] : [];

    /// <inheritdoc />
    public bool AreNeighbours(uint a, uint b) => a != b && _set.Contains(a) && _set.Contains(b);
}
