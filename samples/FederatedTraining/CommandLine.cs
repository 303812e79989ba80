using System.Globalization;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>Parses the sample's options (`--name value` pairs and flags) into the data and training options.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: FederatedTraining [options]
          --small              CI size: 20 clients, 5 per round, 5 rounds, 2 local epochs, at most 300 examples per client
          --clients N          clients (default 100)
          --per-round M        clients sampled per round (default 10)
          --rounds T           FedAvg rounds (default 30)
          --epochs E           local epochs per round (default 5)
          --batch B            local mini-batch size (default 10)
          --lr X               local learning rate (default 0.01)
          --alpha A --beta B   Synthetic(alpha, beta) heterogeneity (default 1, 1)
          --max-samples S      cap on one client's examples (default 2000)
          --data-seed S        seed of the synthetic data (default 1)
          --seed S             seed of client sampling and batch order (default 1)
          --bits B             modulus 2^B of the quantized sums (default 32)
          --quant-range R      per-coordinate clip range of a delta before quantizing (default 4)
          --decryptors D       HE decryptors (default 5); --threshold T shares needed (default majority)
          --epsilon E          DP epsilon for the whole run (default 8); --delta D (default 1e-5)
          --dp-clip C          L2 clip norm of a delta under DP (default 1)
          --methods LIST       comma-separated subset of plain,plain-q,masking,he,ddp,cdp (default all), or the
                               service methods service (float masking rounds) and service-dp (with distributed DP):
                               a real aggregator on 127.0.0.1, each round over its --per-round sampled clients
          --server URL         the service methods use this aggregator instead; --admin-key-file F (default
                               ./securefed-admin.key)
          --quiet              no per-round progress on stderr
        exit code: 0 ok; 1 a secure sum or model differed from the plain quantized run; 2 bad usage;
                   3 a DP run's measured aggregation error is outside its mechanism's range
        """;

    public static (SyntheticOptions Data, TrainingOptions Training, bool Quiet) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                throw new SampleUsageException($"unexpected argument '{a}'");
            }
            string name = a[2..];
            if (name is "small" or "quiet" or "help")
            {
                flags.Add(name);
            }
            else if (i + 1 < args.Count)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new SampleUsageException($"--{name} needs a value");
            }
        }
        if (flags.Contains("help"))
        {
            throw new SampleUsageException(Usage);
        }
        bool small = flags.Contains("small");
        var data = new SyntheticOptions
        {
            Clients = Int(values, "clients", small ? 20 : 100),
            Alpha = Double(values, "alpha", 1.0),
            Beta = Double(values, "beta", 1.0),
            MaxSamplesPerClient = Int(values, "max-samples", small ? 300 : 2000),
            Seed = Int(values, "data-seed", 1),
        };
        var training = new TrainingOptions
        {
            Rounds = Int(values, "rounds", small ? 5 : 30),
            ClientsPerRound = Int(values, "per-round", small ? 5 : 10),
            LocalEpochs = Int(values, "epochs", small ? 2 : 5),
            BatchSize = Int(values, "batch", 10),
            LearningRate = Double(values, "lr", 0.01),
            Seed = Int(values, "seed", 1),
            QuantizationBits = Int(values, "bits", 32),
            QuantizationRange = Double(values, "quant-range", 4.0),
            Decryptors = Int(values, "decryptors", 5),
            DecryptionThreshold = Int(values, "threshold", 0),
            DpEpsilon = Double(values, "epsilon", 8.0),
            DpDelta = Double(values, "delta", 1e-5),
            DpClipNorm = Double(values, "dp-clip", 1.0),
            Methods = values.TryGetValue("methods", out string? m) ? m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : TrainingOptions.AllMethods,
        };
        values.Remove("methods");
        if (values.Remove("server", out string? server))
        {
            if (!Uri.TryCreate(server, UriKind.Absolute, out Uri? url))
            {
                throw new SampleUsageException($"--server must be an absolute URL (got '{server}')");
            }
            string keyFile = values.Remove("admin-key-file", out string? f) ? f : "securefed-admin.key";
            training = training with { Server = url, AdminKey = File.Exists(keyFile) ? File.ReadAllText(keyFile).Trim() : throw new SampleUsageException($"no admin key file at {keyFile} (--admin-key-file)") };
        }
        if (values.Count > 0)
        {
            throw new SampleUsageException($"unknown option --{values.Keys.First()}");
        }
        try
        {
            data.Validate();
            training.Validate(data.Clients);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new SampleUsageException(e.Message);
        }
        return (data, training, flags.Contains("quiet"));
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.Remove(name, out string? text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new SampleUsageException($"--{name} must be an integer (got '{text}')");
    }

    private static double Double(Dictionary<string, string> values, string name, double fallback)
    {
        if (!values.Remove(name, out string? text))
        {
            return fallback;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new SampleUsageException($"--{name} must be a number (got '{text}')");
    }
}
