using MessagePack;

namespace SecureFed.Protocol.Updates;

/// <summary>
/// The float encoding of a round as it travels (protocol-spec/secagg.md, "Float updates"): a MessagePack array with
/// integer keys, like RoundConfiguration (SecureFed.Protocol). The scale is not sent: every party derives it
/// from these fields. Validate with <see cref="FloatEncodingParameters.Create(FloatEncodingConfiguration)"/>.
/// </summary>
[MessagePackObject]
public sealed class FloatEncodingConfiguration
{
    /// <summary>The version this library speaks.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Format version; must be 1.</summary>
    [Key(0)]
    public int Version { get; set; } = CurrentVersion;

    /// <summary>Coordinates per update.</summary>
    [Key(1)]
    public int Length { get; set; }

    /// <summary>L2 clip norm (float64).</summary>
    [Key(2)]
    public double ClipNorm { get; set; }

    /// <summary>Clients whose sum must decode (the roster size).</summary>
    [Key(3)]
    public int Clients { get; set; }

    /// <summary>Bits per coordinate of the update vector, 16..64.</summary>
    [Key(4)]
    public int Bits { get; set; }

    /// <summary>Largest weight per client (float64), in [2^-16, 2^24].</summary>
    [Key(5)]
    public double MaxWeight { get; set; }

    /// <summary>Rounding rule; 0 = unbiased stochastic.</summary>
    [Key(6)]
    public FloatRounding Rounding { get; set; }
}
