namespace SecureFed.Protocol.Configuration;

/// <summary>A round configuration that cannot be used; <see cref="Error"/> says which field and what it must be.</summary>
public sealed class InvalidRoundConfigurationException(ConfigurationError error)
    : Exception($"invalid round configuration: {error}")
{
    /// <summary>A field that must be <paramref name="allowed"/> (and was <paramref name="got"/>).</summary>
    public InvalidRoundConfigurationException(string field, string allowed, object? got = null)
        : this(new ConfigurationError(field, allowed, got is null ? null : Convert.ToString(got, System.Globalization.CultureInfo.InvariantCulture)))
    {
    }

    /// <summary>The field at fault, what it must be and what it was.</summary>
    public ConfigurationError Error { get; } = error;

    /// <summary>The configuration field at fault, e.g. "Threshold" or "Vectors[1].Bits".</summary>
    public string Field => Error.Field;
}
