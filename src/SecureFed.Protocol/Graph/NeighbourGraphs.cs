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
}
