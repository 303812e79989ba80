namespace SecureFed.Lattice.Bfv;

/// <summary>A BFV parameter set or aggregation configuration is invalid or cannot be made to work (the message names the field).</summary>
public sealed class HeParameterException : Exception
{
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

    /// <summary>Creates the exception for an option that must be <paramref name="allowed"/> and was <paramref name="got"/>.</summary>
    /// <param name="field">The option's name (the same name as the HE round configuration field).</param>
    /// <param name="allowed">What it must be, e.g. "in [1, 16]".</param>
    /// <param name="got">The value it had, when showing it helps.</param>
    public HeParameterException(string field, string allowed, object? got)
        : base(got is null ? $"{field} must be {allowed}" : $"{field} must be {allowed} (got {got})")
    {
        Field = field;
        Allowed = allowed;
        Got = got is null ? null : Convert.ToString(got, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The option at fault, or null when the exception names none.</summary>
    public string? Field { get; }

    /// <summary>What the option must be, or null when the exception names no option.</summary>
    public string? Allowed { get; }

    /// <summary>The value the option had, when shown.</summary>
    public string? Got { get; }
}
