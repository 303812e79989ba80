using System.Globalization;

namespace SecureFed.Privacy.Parameters;

/// <summary>
/// A round parameter outside what is allowed. <see cref="Field"/> names the parameter as the options record spells it
/// (e.g. "Delta", "ClipNorm"); <see cref="Allowed"/> is the range it must lie in, or null where the limit depends on
/// other parameters (then the message says which). Hosts map it to a problem naming the field, never parsing text.
/// </summary>
public sealed class ParameterOutOfRangeException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception for <paramref name="field"/> with its value and allowed range.</summary>
    public ParameterOutOfRangeException(string field, double value, ParameterRange? allowed, string? detail = null)
        : base(field, value, Describe(field, value, allowed, detail))
    {
        Field = field;
        Value = value;
        Allowed = allowed;
        Detail = detail;
    }

    /// <summary>The offending parameter.</summary>
    public string Field { get; }

    /// <summary>The value given.</summary>
    public double Value { get; }

    /// <summary>The allowed range, or null when it depends on other parameters.</summary>
    public ParameterRange? Allowed { get; }

    /// <summary>Why the value is refused where no range says it (the limit that depends on other parameters), or null.</summary>
    public string? Detail { get; }

    /// <summary>
    /// What the field must be, as a configuration error's "allowed" text: "in [a, b]" from <see cref="Allowed"/>, else
    /// the <see cref="Detail"/> (hosts use this instead of the exception message, which .NET suffixes).
    /// </summary>
    public string Requirement => Allowed is { } range
        ? $"in {range}"
        : Detail is { } detail ? $"a value that passes: {detail}" : "a value that passes the other parameters' limits";

    /// <summary>Throws unless <paramref name="value"/> lies in <paramref name="allowed"/>.</summary>
    /// <exception cref="ParameterOutOfRangeException">The value is outside the range (or NaN).</exception>
    public static void ThrowIfOutside(string field, double value, ParameterRange allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (!allowed.Contains(value))
        {
            throw new ParameterOutOfRangeException(field, value, allowed);
        }
    }

    private static string Describe(string field, double value, ParameterRange? allowed, string? detail)
    {
        string text = allowed is null
            ? string.Create(CultureInfo.InvariantCulture, $"{field} = {value:R} is not allowed")
            : string.Create(CultureInfo.InvariantCulture, $"{field} must be in {allowed}, got {value:R}");
        return detail is null ? text : $"{text}: {detail}";
    }
}
