namespace SecureFed.Protocol.Configuration;

/// <summary>A round configuration that cannot be used; <see cref="Field"/> names the offending field.</summary>
public sealed class InvalidRoundConfigurationException(string field, string message)
    : Exception($"invalid round configuration: {field}: {message}")
{
    /// <summary>The configuration field at fault, e.g. "Threshold" or "Vectors[1].Bits".</summary>
    public string Field { get; } = field;
}
