using System.CommandLine;
using System.Globalization;
using System.Numerics;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Sampling;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed dp sample`: raw samples from the production samplers, for external statistical audits.</summary>
internal sealed class DpSampleCommand : CliCommand
{
    private readonly Option<string> _mechanism = CliOptions.Choice("--mechanism", "the sampler", "discrete-gaussian", "discrete-gaussian", "skellam");
    private readonly Option<string?> _sigma = CliOptions.Text("--sigma", "S", "standard deviation as a decimal (variance = S^2 exactly)");
    private readonly Option<string?> _variance = CliOptions.Text("--variance", "A/B", "variance as an exact rational (or a decimal)");
    private readonly Option<long> _count = CliOptions.Long("--count", "N", "number of samples", 1000, 0, 1_000_000_000);
    private readonly Option<string> _out = CliOptions.RequiredText("--out", "FILE", "output file (one integer per line); '-' for standard output");
    private readonly Option<long?> _seed = CliOptions.OptionalLong("--seed", "X", "reproducible DeterministicRandomSource (tests only); default: the OS CSPRNG");

    public override string Name => "dp sample";

    public override string Description => """
        write samples of the exact discrete Gaussian or Skellam sampler (one integer per line)
        give exactly one of --sigma and --variance
        """;

    public override IEnumerable<Symbol> Symbols => [_mechanism, _sigma, _variance, _count, _out, _seed];

    public override int Run(ParseResult parse, CliConsole console)
    {
        string mechanism = parse.GetRequiredValue(_mechanism);
        string? sigma = parse.GetValue(_sigma);
        string? variance = parse.GetValue(_variance);
        long count = parse.GetValue(_count);
        string path = parse.GetRequiredValue(_out);
        long? seed = parse.GetValue(_seed);
        if ((sigma is null) == (variance is null))
        {
            throw new CliUsageException("give exactly one of --sigma and --variance");
        }
        (BigInteger num, BigInteger den) = sigma is not null ? Square(ParseRational(sigma, "sigma")) : ParseRational(variance!, "variance");
        BigInteger g = BigInteger.GreatestCommonDivisor(num, den);
        num /= g;
        den /= g;
        if (num >= ulong.MaxValue || den >= ulong.MaxValue)
        {
            throw new CliUsageException("variance numerator and denominator must fit 64 bits");
        }
        IIntegerNoiseSampler sampler;
        try
        {
            sampler = mechanism == "skellam" ? new SkellamSampler((ulong)num, (ulong)den) : new DiscreteGaussianSampler((ulong)num, (ulong)den);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
        }
        using var deterministic = seed is long s ? new DeterministicRandomSource(s) : null;
        IRandomSource random = (IRandomSource?)deterministic ?? SystemRandomSource.Instance;
        using TextWriter writer = path == "-" ? TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput())) : new StreamWriter(path);
        var chunk = new long[65536];
        var line = new System.Text.StringBuilder();
        for (long done = 0; done < count; done += chunk.Length)
        {
            int n = (int)Math.Min(chunk.Length, count - done);
            sampler.Sample(random, chunk.AsSpan(0, n));
            line.Clear();
            for (int i = 0; i < n; i++)
            {
                line.Append(chunk[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            writer.Write(line);
        }
        writer.Flush();
        if (path != "-")
        {
            console.Output.WriteLine($"wrote {count} {mechanism} samples (variance {num}/{den}) to {path}");
        }
        return 0;
    }

    private static (BigInteger Num, BigInteger Den) Square((BigInteger Num, BigInteger Den) r) => (r.Num * r.Num, r.Den * r.Den);

    /// <summary>Parses "a/b" or a plain decimal ("2.5" = 25/10) exactly, with no floating point.</summary>
    private static (BigInteger Num, BigInteger Den) ParseRational(string text, string name)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2)
        {
            var (a, ad) = ParseDecimal(parts[0], name);
            var (b, bd) = ParseDecimal(parts[1], name);
            if (b.IsZero)
            {
                throw new CliUsageException($"--{name}: zero denominator");
            }
            return (a * bd, b * ad);
        }
        return ParseDecimal(text, name);
    }

    private static (BigInteger Num, BigInteger Den) ParseDecimal(string text, string name)
    {
        string t = text.Trim();
        int dot = t.IndexOf('.', StringComparison.Ordinal);
        string digits = dot < 0 ? t : t.Remove(dot, 1);
        int fraction = dot < 0 ? 0 : t.Length - dot - 1;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw new CliUsageException($"--{name} must be a non-negative decimal or a/b (got '{text}')");
        }
        return (BigInteger.Parse(digits, CultureInfo.InvariantCulture), BigInteger.Pow(10, fraction));
    }
}
