using System.Globalization;
using System.Numerics;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Sampling;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed dp sample`: raw samples from the production samplers, for external statistical audits.</summary>
internal sealed class DpSampleCommand : ICliCommand
{
    public string Name => "dp sample";

    public string Summary => "write samples of the exact discrete Gaussian or Skellam sampler (one integer per line)";

    public string Usage => """
        usage: securefed dp sample --mechanism discrete-gaussian|skellam (--sigma S | --variance A/B) --count N --out FILE
          --sigma S       standard deviation as a decimal (variance = S^2 exactly)
          --variance A/B  variance as an exact rational (or a decimal)
          --count N       number of samples
          --out FILE      output file (one integer per line); '-' for standard output
          --seed X        reproducible DeterministicRandomSource (tests only); default: the OS CSPRNG
        """;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        string mechanism = args.Choice("mechanism", "discrete-gaussian", "discrete-gaussian", "skellam");
        string? sigma = args.String("sigma");
        string? variance = args.String("variance");
        long count = args.Long("count", 1000, 0, 1_000_000_000);
        string path = args.String("out") ?? throw new CliUsageException("--out is required");
        long? seed = args.String("seed") is null ? null : args.Long("seed", 0);
        args.ThrowIfUnused();
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
            output.WriteLine($"wrote {count} {mechanism} samples (variance {num}/{den}) to {path}");
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
