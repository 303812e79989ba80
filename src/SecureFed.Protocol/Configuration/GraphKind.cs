namespace SecureFed.Protocol.Configuration;

/// <summary>Which neighbour graph the round uses (wire value in parentheses).</summary>
public enum GraphKind
{
    /// <summary>(0) Every client is every other client's neighbour (Bonawitz et al. 2017).</summary>
    Complete = 0,
}
