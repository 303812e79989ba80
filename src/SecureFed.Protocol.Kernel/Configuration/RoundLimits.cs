namespace SecureFed.Protocol.Configuration;

/// <summary>
/// The largest round any scheme is configured for: the bounds the shared update encodings check their options
/// against. A scheme may accept less (the HE round has its own vector limit); the masking protocol's limits are
/// these (RoundParameters.MaxVectorLength and MaxClients).
/// </summary>
public static class RoundLimits
{
    /// <summary>Largest vector length accepted (2^28 elements).</summary>
    public const int MaxVectorLength = 1 << 28;

    /// <summary>Largest roster accepted.</summary>
    public const int MaxClients = 1_000_000;
}
