using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Pipeline;
using SecureFed.Privacy.Sampling;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed dp bench`: sampler and encoder throughput, as ratios to filling random words in the same run.</summary>
internal sealed class DpBenchCommand : CliCommand
{
    private readonly Option<int> _count = CliOptions.Int("--count", "N", "samples / coordinates", 1_000_000, 1, 100_000_000);
    private readonly Option<long> _sigma2 = CliOptions.Long("--sigma2", "V", "discrete Gaussian variance, an integer", 10_000, 0, 1L << 40);
    private readonly Option<long> _mu = CliOptions.Long("--skellam-mu", "V", "Skellam variance, an integer (cost grows linearly with it)", 16, 0, 1 << 20);
    private readonly Option<bool> _json = CliOptions.Flag("--json", "print one JSON object");

    public override string Name => "dp bench";

    public override string Description => """
        time the exact noise samplers and the DP encoder against a raw-randomness baseline
        Baseline: filling N 64-bit words from the same random source. Single thread.
        """;

    public override IEnumerable<Symbol> Symbols => [_count, _sigma2, _mu, _json];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output;
        int count = parse.GetValue(_count);
        long sigma2 = parse.GetValue(_sigma2);
        long mu = parse.GetValue(_mu);
        bool json = parse.GetValue(_json);

        var samples = new long[count];
        var words = new byte[count * 8L];
        IRandomSource os = SystemRandomSource.Instance;
        double baseline = Time(() => os.Fill(words));
        double dg = Time(() => new DiscreteGaussianSampler((ulong)sigma2, 1).Sample(os, samples));
        double dgVariance = samples.Select(x => (double)x * x).Average();
        double skellam = Time(() => new SkellamSampler((ulong)mu, 1).Sample(os, samples));

        var plan = DistributedDpPlanner.Plan(new DistributedDpOptions
        {
            Epsilon = 1, Delta = 1e-6, ClipNorm = 1, ExpectedClients = 100, Dimension = count, Bits = 32,
        });
        var seed = new byte[32];
        os.Fill(seed);
        var encoder = new DpClientEncoder(plan, seed);
        var update = new double[count];
        for (int i = 0; i < count; i++)
        {
            update[i] = Math.Sin(i) * 1e-3;
        }
        var encoded = new ulong[plan.PaddedDimension];
        double encode = Time(() => encoder.Encode(update, encoded, os));

        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                count, baseline_seconds = baseline, discrete_gaussian_seconds = dg, discrete_gaussian_ratio = dg / baseline,
                discrete_gaussian_sigma2 = sigma2, discrete_gaussian_empirical_variance = dgVariance,
                skellam_seconds = skellam, skellam_ratio = skellam / baseline, skellam_mu = mu,
                encode_seconds = encode, encode_ratio = encode / baseline, encode_padded_dimension = plan.PaddedDimension,
                encode_per_client_variance = plan.PerClientNoiseVariance,
            }));
            return 0;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            baseline: fill {count} random words (OS CSPRNG)       {baseline * 1e3,9:F1} ms  (1.00x)
            discrete Gaussian sigma^2={sigma2}, {count} samples  {dg * 1e3,9:F1} ms  ({dg / baseline:F2}x)  empirical variance {dgVariance:F1}
            Skellam mu={mu}, {count} samples                    {skellam * 1e3,9:F1} ms  ({skellam / baseline:F2}x)
            DP encode, {count} coords (padded {plan.PaddedDimension}, sigma^2 {plan.PerClientNoiseVariance:G4}) {encode * 1e3,9:F1} ms  ({encode / baseline:F2}x)
            """));
        return 0;
    }

    private static double Time(Action action)
    {
        action(); // warm-up (JIT, tiering)
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }
}
