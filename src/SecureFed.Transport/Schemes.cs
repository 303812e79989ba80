namespace SecureFed.Transport;

/// <summary>The wire names of <see cref="Protocol.Hosting.RoundScheme"/> (the <c>scheme</c> field of the transport); code
/// maps them with <see cref="WireNames"/> and branches on the enum.</summary>
public static class Schemes
{
    /// <summary>Secure aggregation with pairwise masks (protocol-spec/secagg.md).</summary>
    public const string Masking = "masking";

    /// <summary>Threshold homomorphic encryption (protocol-spec/he.md).</summary>
    public const string He = "he";
}
