namespace SecureFed.Privacy.Pipeline;

/// <summary>No parameters satisfy the requested privacy, wrap-around and precision targets (e.g. too few bits).</summary>
public sealed class DpPlanningException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public DpPlanningException(string message)
        : base(message)
    {
    }
}
