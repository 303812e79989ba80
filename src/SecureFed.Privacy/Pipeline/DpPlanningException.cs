namespace SecureFed.Privacy.Pipeline;

/// <summary>No parameters satisfy the requested privacy, wrap-around and precision targets (e.g. too few bits).</summary>
public sealed class DpPlanningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DpPlanningException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DpPlanningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public DpPlanningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
