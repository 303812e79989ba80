using System.Globalization;
using System.Text.RegularExpressions;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>Reads samples out of a Prometheus text exposition (the exporter adds labels such as otel_scope_name).</summary>
public static partial class PrometheusText
{
    /// <summary>The sum of every sample of <paramref name="metric"/> (any labels), or null when it has none.</summary>
    public static double? Value(string text, string metric)
    {
        double? sum = null;
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value == metric)
            {
                sum = (sum ?? 0) + double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>[^ \n]+)( [0-9]+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
