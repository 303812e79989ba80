namespace SecureFed.Transport.Admin;

/// <summary>
/// The float encoding of <c>POST /admin/v1/rounds</c> (protocol-spec/transport.md section 5, secagg.md 10a): clients
/// contribute real vectors and read back their weighted average. The round's vectors are the encoding's (any
/// <c>Vectors</c> in the request must be absent). Give <see cref="Bits"/>, <see cref="MinimumScale"/>, both (checked
/// against each other) or neither (32 bits); an encoding whose roster-wide sum could wrap is refused with the numbers.
/// </summary>
public sealed class FloatEncodingRequest
{
    /// <summary>Coordinates of every update, 1..2^28.</summary>
    public int Length { get; set; }

    /// <summary>L2 norm every update is clipped to on the device (positive, finite).</summary>
    public double ClipNorm { get; set; }

    /// <summary>Bits per coordinate of the update vector (16..64), or null to choose from <see cref="MinimumScale"/>.</summary>
    public int? Bits { get; set; }

    /// <summary>Finest resolution asked for (integer units per unit of the update), or null.</summary>
    public double? MinimumScale { get; set; }

    /// <summary>Largest weight a client may give, in [2^-16, 2^24]; a DP round needs 1.</summary>
    public double MaxWeight { get; set; } = 1;
}
