namespace SecureFed.Transport;

/// <summary>The aggregation schemes a round can run (the <c>scheme</c> field of the transport).</summary>
public static class Schemes
{
    /// <summary>Secure aggregation with pairwise masks (protocol-spec/secagg.md).</summary>
    public const string Masking = "masking";

    /// <summary>Threshold homomorphic encryption (protocol-spec/he.md).</summary>
    public const string He = "he";
}
