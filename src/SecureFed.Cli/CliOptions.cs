using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SecureFed.Cli;

/// <summary>
/// Typed System.CommandLine options with the tool's conventions: a default shown in help, integers that accept
/// 1,000 and 1_000, invariant-culture numbers, and a parse error that names the option and the allowed range or
/// values (the host turns it into exit code 2).
/// </summary>
internal static class CliOptions
{
    /// <summary>An integer option with a default and an inclusive range.</summary>
    public static Option<int> Int(string name, string valueName, string description, int defaultValue, int min, int max) =>
        WithDefault(name, valueName, description, defaultValue, r => (int)ParseLong(r, min, max));

    /// <summary>An integer option that may be absent (null): its default depends on other options.</summary>
    public static Option<int?> OptionalInt(string name, string valueName, string description, int min, int max) =>
        new(name) { Description = description, HelpName = valueName, CustomParser = r => (int)ParseLong(r, min, max) };

    /// <summary>A 64-bit integer option with a default and an inclusive range.</summary>
    public static Option<long> Long(string name, string valueName, string description, long defaultValue, long min, long max) =>
        WithDefault(name, valueName, description, defaultValue, r => ParseLong(r, min, max));

    /// <summary>A 64-bit integer option that may be absent.</summary>
    public static Option<long?> OptionalLong(string name, string valueName, string description, long min = long.MinValue, long max = long.MaxValue) =>
        new(name) { Description = description, HelpName = valueName, CustomParser = r => ParseLong(r, min, max) };

    /// <summary>A floating-point option with a default and an inclusive range.</summary>
    public static Option<double> Double(string name, string valueName, string description, double defaultValue, double min, double max) =>
        WithDefault(name, valueName, description, defaultValue, r => ParseDouble(r, min, max));

    /// <summary>A floating-point option that must be given, in an inclusive range.</summary>
    public static Option<double> RequiredDouble(string name, string valueName, string description, double min, double max) =>
        new(name) { Description = description, HelpName = valueName, Required = true, CustomParser = r => ParseDouble(r, min, max) };

    /// <summary>A floating-point option that may be absent.</summary>
    public static Option<double?> OptionalDouble(string name, string valueName, string description, double min, double max) =>
        new(name) { Description = description, HelpName = valueName, CustomParser = r => ParseDouble(r, min, max) };

    /// <summary>An option whose value must be one of <paramref name="choices"/> (offered by shell completion).</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', choices),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                string v = r.Tokens[0].Value;
                if (!choices.Contains(v, StringComparer.Ordinal))
                {
                    r.AddError($"{name} must be one of {string.Join(", ", choices)} (got '{v}')");
                }
                return v;
            },
        };
        option.CompletionSources.Add(choices);
        return option;
    }

    /// <summary>A switch: present means true (an explicit true/false value is accepted too).</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>A text option (a path, URL or key) that may be absent.</summary>
    public static Option<string?> Text(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName };

    /// <summary>A text option that must be given.</summary>
    public static Option<string> RequiredText(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName, Required = true };

    /// <summary>A comma-separated list of numbers, e.g. 0,0.1,0.3, each in an inclusive range.</summary>
    public static Option<double[]?> DoubleList(string name, string valueName, string description, double min, double max) =>
        new(name) { Description = description, HelpName = valueName, CustomParser = r => ParseList(r, min, max) };

    /// <summary>A comma-separated list of integers, e.g. 1000,10000, each in an inclusive range.</summary>
    public static Option<int[]?> IntList(string name, string valueName, string description, int min, int max) =>
        new(name)
        {
            Description = description,
            HelpName = valueName,
            CustomParser = r => ParseList(r, min, max) is { } list
                ? list.Any(v => v != Math.Floor(v)) ? Fail<int[]?>(r, $"{OptionName(r)} must be a comma-separated list of integers (got '{r.Tokens[0].Value}')") : [.. list.Select(v => (int)v)]
                : null,
        };

    /// <summary>True when <paramref name="option"/> was given on the command line (not left at its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>Refuses the first of <paramref name="options"/> given on the command line: "--name <paramref name="why"/>".</summary>
    /// <exception cref="CliUsageException">One of them was given.</exception>
    public static void Refuse(ParseResult parse, IEnumerable<Option> options, string why)
    {
        if (options.FirstOrDefault(o => Given(parse, o)) is { } given)
        {
            throw new CliUsageException($"{given.Name} {why}");
        }
    }

    // A number option with a default shown in help, parsed (and range-checked) by `parse`.
    private static Option<T> WithDefault<T>(string name, string valueName, string description, T defaultValue, Func<ArgumentResult, T> parse) =>
        new(name) { Description = description, HelpName = valueName, DefaultValueFactory = _ => defaultValue, CustomParser = r => parse(r) };

    private static long ParseLong(ArgumentResult r, long min, long max)
    {
        string name = OptionName(r);
        string s = r.Tokens[0].Value;
        if (!long.TryParse(s.Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal),
                NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
        {
            return Fail<long>(r, $"{name} must be an integer (got '{s}')");
        }
        return v < min || v > max ? Fail<long>(r, $"{name} must be between {min} and {max} (got {v})") : v;
    }

    private static double ParseDouble(ArgumentResult r, double min, double max)
    {
        string name = OptionName(r);
        string s = r.Tokens[0].Value;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsNaN(v))
        {
            return Fail<double>(r, $"{name} must be a number (got '{s}')");
        }
        return v < min || v > max ? Fail<double>(r, $"{name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got {s})") : v;
    }

    private static double[]? ParseList(ArgumentResult r, double min, double max)
    {
        string name = OptionName(r);
        string s = r.Tokens[0].Value;
        var values = new List<double>();
        foreach (string part in s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsNaN(v))
            {
                return Fail<double[]?>(r, $"{name} must be a comma-separated list of numbers (got '{s}')");
            }
            if (v < min || v > max)
            {
                return Fail<double[]?>(r, $"{name}: every value must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got {part})");
            }
            values.Add(v);
        }
        return values.Count == 0 ? Fail<double[]?>(r, $"{name} needs at least one value") : [.. values];
    }

    private static string OptionName(ArgumentResult r) => r.Parent is OptionResult o ? o.Option.Name : r.Argument.Name;

    private static T Fail<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default!;
    }
}
