namespace SecureFed.Transport.Admin;

/// <summary>One vector of a round to open: its length and modulus 2^Bits.</summary>
public sealed class VectorRequest
{
    /// <summary>Number of elements, 1..2^28.</summary>
    public int Length { get; set; }

    /// <summary>Bits per element, 1..64.</summary>
    public int Bits { get; set; } = 32;
}
