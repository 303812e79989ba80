namespace SecureFed.Lattice.Bfv;

/// <summary>A serialized HE object (ciphertext, seed, request) is malformed, truncated, tampered with or belongs to other parameters.</summary>
public sealed class HeFormatException : Exception
{
    /// <summary>Creates the exception with a message (never containing secret material).</summary>
    public HeFormatException(string message)
        : base(message)
    {
    }
}
