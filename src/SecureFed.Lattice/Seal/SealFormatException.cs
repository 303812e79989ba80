namespace SecureFed.Lattice.Seal;

/// <summary>
/// SEAL-format bytes were refused: truncated, oversized, a bad header, an unknown compression mode, a damaged
/// compressed stream, fields that do not describe the expected parameters, or a residue not reduced. The only
/// exception the SEAL decoders throw for outside bytes.
/// </summary>
public sealed class SealFormatException : Exception
{
    /// <summary>Creates the exception with a message (never containing key material).</summary>
    public SealFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public SealFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
