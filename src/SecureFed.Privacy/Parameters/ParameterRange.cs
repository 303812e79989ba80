using System.Globalization;

namespace SecureFed.Privacy.Parameters;

/// <summary>
/// The values a numeric parameter may take: an interval with open or closed ends (infinite ends are open). Carried by
/// <see cref="ParameterOutOfRangeException"/> so a host can show the allowed range without parsing a message.
/// </summary>
/// <param name="Minimum">Lower end (may be <see cref="double.NegativeInfinity"/>).</param>
/// <param name="MinimumInclusive">True when <paramref name="Minimum"/> itself is allowed.</param>
/// <param name="Maximum">Upper end (may be <see cref="double.PositiveInfinity"/>).</param>
/// <param name="MaximumInclusive">True when <paramref name="Maximum"/> itself is allowed.</param>
public sealed record ParameterRange(double Minimum, bool MinimumInclusive, double Maximum, bool MaximumInclusive)
{
    /// <summary>(0, +infinity): a positive finite number.</summary>
    public static ParameterRange PositiveFinite { get; } = new(0, false, double.PositiveInfinity, false);

    /// <summary>(0, 1): an open probability.</summary>
    public static ParameterRange OpenUnit { get; } = new(0, false, 1, false);

    /// <summary>[minimum, maximum], both ends allowed.</summary>
    public static ParameterRange Closed(double minimum, double maximum) => new(minimum, true, maximum, true);

    /// <summary>True when <paramref name="value"/> lies in the range (NaN never does).</summary>
    public bool Contains(double value) =>
        !double.IsNaN(value)
        && (MinimumInclusive ? value >= Minimum : value > Minimum)
        && (MaximumInclusive ? value <= Maximum : value < Maximum);

    /// <summary>Interval notation, e.g. "(0, 1)" or "[16, 64]".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(MinimumInclusive ? '[' : '(')}{End(Minimum)}, {End(Maximum)}{(MaximumInclusive ? ']' : ')')}");

    private static string End(double v) => double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);
}
