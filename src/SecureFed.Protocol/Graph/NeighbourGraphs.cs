using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Graph;

/// <summary>Builds the round's neighbour graph from public data only.</summary>
public static class NeighbourGraphs
{
    /// <summary>The graph for <paramref name="parameters"/> over the clients that advertised keys (U1).</summary>
    public static INeighbourGraph Create(RoundParameters parameters, ReadOnlySpan<byte> sessionId, IReadOnlyCollection<uint> advertised)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Configuration.Graph switch
        {
            GraphKind.Complete => new CompleteGraph(advertised),
            GraphKind.Harary => new HararyGraph(GraphPermutation.Shuffle(sessionId, advertised), parameters.Configuration.GraphDegree),
            _ => throw new InvalidRoundConfigurationException("Graph", "a supported graph", parameters.Configuration.Graph),
        };
    }

    /// <summary>
    /// The neighbours of <paramref name="clientId"/> (ascending) in the graph <see cref="Create"/> builds over
    /// <paramref name="advertisedAscending"/> (U1, strictly ascending): the same list, computed with O(|U1|) scratch
    /// that is returned at once, for a party that needs only its own edges (a client among 10,000).
    /// </summary>
    public static uint[] NeighboursOf(RoundParameters parameters, ReadOnlySpan<byte> sessionId, ReadOnlySpan<uint> advertisedAscending, uint clientId)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        switch (parameters.Configuration.Graph)
        {
            case GraphKind.Complete:
                return advertisedAscending.BinarySearch(clientId) < 0 ? [] : RemoveOne(advertisedAscending, clientId);
            case GraphKind.Harary:
                uint[] ring = System.Buffers.ArrayPool<uint>.Shared.Rent(advertisedAscending.Length);
                try
                {
                    Span<uint> r = ring.AsSpan(0, advertisedAscending.Length);
                    advertisedAscending.CopyTo(r);
                    GraphPermutation.ShuffleAscending(sessionId, r);
                    int position = r.IndexOf(clientId);
                    return position < 0 ? [] : HararyGraph.NeighboursAt(r, position, parameters.Configuration.GraphDegree);
                }
                finally
                {
                    System.Buffers.ArrayPool<uint>.Shared.Return(ring);
                }
            default:
                throw new InvalidRoundConfigurationException("Graph", "a supported graph", parameters.Configuration.Graph);
        }
    }

    private static uint[] RemoveOne(ReadOnlySpan<uint> ascending, uint id)
    {
        var others = new uint[ascending.Length - 1];
        int j = 0;
        foreach (uint v in ascending)
        {
            if (v != id)
            {
                others[j++] = v;
            }
        }
        return others;
    }
}
