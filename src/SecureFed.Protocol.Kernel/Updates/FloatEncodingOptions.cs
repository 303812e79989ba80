namespace SecureFed.Protocol.Updates;

/// <summary>
/// What a round asks of float updates; <see cref="FloatEncodingParameters.Create(FloatEncodingOptions)"/> validates
/// it and chooses (or checks) the modulus. Give <see cref="Bits"/>, <see cref="Scale"/>, both (checked against each
/// other), or neither (<see cref="FloatEncodingParameters.DefaultBits"/> bits).
/// </summary>
public sealed record FloatEncodingOptions
{
    /// <summary>Number of coordinates of every update (&gt;= 1).</summary>
    public int Length { get; init; }

    /// <summary>L2 norm every update is clipped to (positive, finite).</summary>
    public double ClipNorm { get; init; }

    /// <summary>Most clients whose sum must decode without wrapping: the roster size of the round.</summary>
    public int Clients { get; init; }

    /// <summary>Bits per coordinate of the modular sum (16..64), or null to choose from <see cref="Scale"/>.</summary>
    public int? Bits { get; init; }

    /// <summary>
    /// Smallest acceptable resolution, in integer units per 1.0 of weighted input (the decoded average is exact to
    /// about 1/Scale), or null to take the finest the bits allow.
    /// </summary>
    public double? Scale { get; init; }

    /// <summary>Largest weight one client may give its update (in [2^-16, 2^24]); 1 for plain averaging.</summary>
    public double MaxWeight { get; init; } = 1;

    /// <summary>The rounding rule.</summary>
    public FloatRounding Rounding { get; init; } = FloatRounding.UnbiasedStochastic;
}
