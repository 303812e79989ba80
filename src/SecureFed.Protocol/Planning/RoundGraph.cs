using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Planning;

/// <summary>
/// The graph a round opens with: what goes into its <see cref="RoundConfiguration"/> (graph kind, degree k, threshold
/// t), the finder's answer with the bounds it meets, and the assumptions it was chosen for (to show in round status
/// and transcripts). The graph seed that orders the ring is not chosen here: every party derives it from the session
/// id once R0 closes (<see cref="Graph.GraphPermutation.Seed"/>), so the server cannot pick it.
/// </summary>
public sealed record RoundGraph(GraphKind Graph, int Degree, int Threshold, GraphPlan Plan, RoundGraphOptions Assumptions)
{
    /// <summary>Share holders per client: k + 1 for Harary, n for the complete graph (the server's per-client work grows with it).</summary>
    public int HoldersPerClient => Plan.Holders;

    /// <summary>Writes the graph kind, degree and threshold into <paramref name="configuration"/>.</summary>
    public void ApplyTo(RoundConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Graph = Graph;
        configuration.GraphDegree = Degree;
        configuration.Threshold = Threshold;
    }
}
