using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Planning;

/// <summary>The finder's answer: the graph, its degree and the Shamir threshold, with the bounds they meet.</summary>
public sealed record GraphPlan(
    GraphKind Graph,
    int Degree,
    int Threshold,
    double Log2PrivacyFailure,
    double Log2CorrectnessFailure,
    double Log2DisconnectionBound)
{
    /// <summary>Share holders per client (neighbours and itself).</summary>
    public int Holders => Degree + 1;
}
