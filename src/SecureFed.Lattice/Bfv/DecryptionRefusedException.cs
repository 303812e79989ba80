namespace SecureFed.Lattice.Bfv;

/// <summary>A decryptor refused to produce a decryption share (not a verified aggregate, or already decrypted).</summary>
public sealed class DecryptionRefusedException : Exception
{
    /// <summary>Creates the exception with a message (never containing secret material).</summary>
    public DecryptionRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public DecryptionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
