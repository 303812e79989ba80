namespace SecureFed.Protocol.Configuration;

/// <summary>Which neighbour graph the round uses (wire value in parentheses).</summary>
public enum GraphKind
{
    /// <summary>(0) Every client is every other client's neighbour (Bonawitz et al. 2017).</summary>
    Complete = 0,

    /// <summary>
    /// (1) SecAgg+ (Bell et al. 2020): a Harary graph of even degree k over a permutation of the clients derived from
    /// the session id, so the server cannot choose it.
    /// </summary>
    Harary = 1,
}
