namespace SecureFed.Privacy.Pipeline;

/// <summary>Conditional randomized rounding did not meet the norm bound within the allowed number of attempts.</summary>
public sealed class DpRoundingException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public DpRoundingException(string message)
        : base(message)
    {
    }
}
