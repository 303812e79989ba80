using System.Globalization;

namespace SecureFed.Cli;

/// <summary>
/// Parsed `--name value` options, `--flag` switches and positional words. Every option a command reads is
/// marked as used; <see cref="ThrowIfUnused"/> then rejects misspelt options instead of silently ignoring them.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    public CliArguments(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string a = list[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a[2..];
                string? value = null;
                int eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (i + 1 < list.Count && !IsOptionName(list[i + 1]))
                {
                    value = list[++i];
                }
                if (!_options.TryAdd(name, value))
                {
                    throw new CliUsageException($"option --{name} given twice");
                }
            }
            else
            {
                _positionals.Add(a);
            }
        }
    }

    /// <summary>Positional words (not options).</summary>
    public IReadOnlyList<string> Positionals => _positionals;

    private static bool IsOptionName(string s) =>
        s.StartsWith("--", StringComparison.Ordinal) && s.Length > 2 && !double.TryParse(s, CultureInfo.InvariantCulture, out _);

    /// <summary>True when the switch (an option without a value, or with value true) is present.</summary>
    public bool Flag(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out string? v))
        {
            return false;
        }
        return v is null || v.Equals("true", StringComparison.OrdinalIgnoreCase)
            ? true
            : v.Equals("false", StringComparison.OrdinalIgnoreCase)
                ? false
                : throw new CliUsageException($"--{name} is a switch; it takes no value (got '{v}')");
    }

    /// <summary>The option's text, or <paramref name="defaultValue"/> when absent.</summary>
    public string? String(string name, string? defaultValue = null)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out string? v))
        {
            return defaultValue;
        }
        return v ?? throw new CliUsageException($"--{name} needs a value");
    }

    /// <summary>An integer option (accepts 1,000 and 1_000 separators).</summary>
    public long Long(string name, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        string? s = String(name);
        if (s is null)
        {
            return defaultValue;
        }
        if (!long.TryParse(s.Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal),
                NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
        {
            throw new CliUsageException($"--{name} must be an integer (got '{s}')");
        }
        if (v < min || v > max)
        {
            throw new CliUsageException($"--{name} must be between {min} and {max} (got {v})");
        }
        return v;
    }

    /// <summary>An integer option that fits in an int.</summary>
    public int Int(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        (int)Long(name, defaultValue, min, max);

    /// <summary>A floating-point option (invariant culture).</summary>
    public double Double(string name, double defaultValue, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        string? s = String(name);
        if (s is null)
        {
            return defaultValue;
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsNaN(v))
        {
            throw new CliUsageException($"--{name} must be a number (got '{s}')");
        }
        if (v < min || v > max)
        {
            throw new CliUsageException($"--{name} must be between {min} and {max} (got {v})");
        }
        return v;
    }

    /// <summary>An option whose value must be one of <paramref name="choices"/>.</summary>
    public string Choice(string name, string defaultValue, params string[] choices)
    {
        string v = String(name, defaultValue)!;
        return choices.Contains(v, StringComparer.Ordinal)
            ? v
            : throw new CliUsageException($"--{name} must be one of {string.Join(", ", choices)} (got '{v}')");
    }

    /// <summary>Rejects options that no part of the command read (usually a typo).</summary>
    public void ThrowIfUnused()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliUsageException($"unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
        }
    }
}
