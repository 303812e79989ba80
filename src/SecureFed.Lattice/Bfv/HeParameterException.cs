namespace SecureFed.Lattice.Bfv;

/// <summary>A BFV parameter set or aggregation configuration is invalid or cannot be made to work (the message names the field).</summary>
public sealed class HeParameterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HeParameterException()
    {
    }

    /// <summary>Creates the exception with a message (never containing secret material).</summary>
    public HeParameterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public HeParameterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
