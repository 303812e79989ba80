namespace SecureFed.Protocol.Hosting;

/// <summary>The aggregation scheme a round runs; its wire name is in SecureFed.Transport's <c>WireNames</c>.</summary>
public enum RoundScheme
{
    /// <summary>Secure aggregation with pairwise masks (protocol-spec/secagg.md).</summary>
    Masking = 0,

    /// <summary>Threshold homomorphic encryption (protocol-spec/he.md).</summary>
    He = 1,
}
