using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureFed.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Lattice.Seal;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Quantization;
using SecureFed.Transport;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed client`: one device against a server: make a key, enrol with a token, contribute a vector.</summary>
internal sealed class ClientCommand : CliCommand
{
    private readonly Option<string> _key = CliOptions.RequiredText("--key", "FILE", "the device's Ed25519 identity key (64 hex digits); created when missing");
    private readonly Option<Uri> _server = ServeAdminCredentials.ServerOption();
    private readonly Option<string?> _token = CliOptions.Text("--enrol-token", "TOKEN", "redeem a one-time enrolment token from the operator first");
    private readonly Option<string?> _round = CliOptions.Text("--round", "ID", "contribute to this round (32 hex digits)");
    private readonly Option<string?> _input = CliOptions.Text("--input", "FILE",
        "the vector: numbers separated by spaces, commas or new lines ('#' starts a comment; a line '---' starts the next vector of a multi-vector round)");
    private readonly Option<bool> _decryptOnly = CliOptions.Flag("--decrypt-only", "HE rounds: take part as a decryptor only (no --input; the device must be a decryptor)");
    private readonly Option<bool> _reals = CliOptions.Flag("--reals",
        "the input holds real numbers: quantize them (clip to --clip-range; HE rounds with a configured clip range use that)");
    private readonly Option<double> _clip = CliOptions.Double("--clip-range", "R", "clip range for --reals", 1.0, double.Epsilon, 1e12);
    private readonly Option<string?> _sealEncryptor = CliOptions.Text("--seal-encryptor", "CMD",
        "HE rounds: a program that encrypts this device's update with Microsoft SEAL (e.g. samples/SealClient); run with a folder holding the round's SEAL key, it writes one ciphertext per block (no --input)");
    private readonly Option<bool> _insecure = CliOptions.Flag("--allow-insecure-http", "allow http:// to a non-loopback server");

    public override string Name => "client";

    public override string Description => """
        run one client against an aggregator (key, enrolment, contribution from a file)
        HE rounds (the round's scheme is read from the server): one vector; a device that is one of the round's
        decryptors also advertises, deals key shares and answers decryption requests until the round ends.
        prints one JSON object; exit code 0 on success, 1 when the round refused or dropped this client
        """;

    public override IEnumerable<Symbol> Symbols => [_key, _server, _token, _round, _input, _decryptOnly, _sealEncryptor, _reals, _clip, _insecure];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output, error = console.Error;
        string keyFile = parse.GetRequiredValue(_key);
        Uri server = parse.GetRequiredValue(_server);
        string? token = parse.GetValue(_token);
        string? round = parse.GetValue(_round);
        string? input = parse.GetValue(_input);
        bool reals = parse.GetValue(_reals);
        double clip = parse.GetValue(_clip);
        bool insecure = parse.GetValue(_insecure);
        bool decryptOnly = parse.GetValue(_decryptOnly);
        string? sealEncryptor = parse.GetValue(_sealEncryptor);
        if (sealEncryptor is not null && (round is null || input is not null || decryptOnly))
        {
            throw new CliUsageException("--seal-encryptor needs --round and neither --input nor --decrypt-only");
        }
        if (round is not null && input is null && !decryptOnly && sealEncryptor is null)
        {
            throw new CliUsageException("--round needs --input (or --decrypt-only for an HE decryptor, or --seal-encryptor)");
        }
        if (decryptOnly && (round is null || input is not null))
        {
            throw new CliUsageException("--decrypt-only needs --round and no --input");
        }
        if (round is not null && !RoundIds.TryParse(round, out _))
        {
            throw new CliUsageException("--round must be 32 hex digits");
        }

        var options = new SecureFedClientOptions { ServerUrl = server, AllowInsecureHttp = insecure };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message);
        }

        bool created = !File.Exists(keyFile);
        var keys = created ? FileIdentityKeyStore.CreateNew(keyFile, SystemRandomSource.Instance) : new FileIdentityKeyStore(keyFile);
        using var client = new SecureFedClient(options, keys);
        client.Progress += (_, e) => error.WriteLine($"  round {e.RoundId[..8]} client {e.ClientId}: stage {e.Stage} {e.Step}");
        var result = new Dictionary<string, object?> { ["public_key"] = client.PublicKey.ToString(), ["key_created"] = created };
        try
        {
            if (token is not null)
            {
                EnrolmentResult enrolled = client.EnrolAsync(token).GetAwaiter().GetResult();
                result["federation"] = enrolled.Federation;
                result["client_id"] = enrolled.ClientId;
            }
            if (round is not null)
            {
                RoundInfo info = client.GetRoundAsync(round).GetAwaiter().GetResult();
                ContributionResult done;
                if (decryptOnly)
                {
                    done = client.RunDecryptorAsync(round).GetAwaiter().GetResult();
                }
                else if (sealEncryptor is not null)
                {
                    done = client.ContributeSealAsync(round, new SealProcessEncryptor(sealEncryptor, error)).GetAwaiter().GetResult();
                    result["seal"] = true;
                }
                else if (WireNames.TryParseScheme(info.Scheme, out RoundScheme scheme) && scheme == RoundScheme.He)
                {
                    HeRoundConfiguration he = MessageCodec.Decode<HeRoundConfiguration>(info.Configuration, 64 << 20);
                    ulong[][] vectors = ReadInput(input!, [new VectorSpec { Length = he.VectorLength, Bits = he.Bits }], he.Roster.Length,
                        reals, he.ClipRange > 0 ? he.ClipRange : clip);
                    done = client.ContributeAsync(round, vectors).GetAwaiter().GetResult();
                }
                else
                {
                    RoundParameters parameters = RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(info.Configuration, 64 << 20));
                    ulong[][] vectors = ReadInput(input!, parameters.Vectors, parameters.ClientIds.Count, reals, clip);
                    done = client.ContributeAsync(round, vectors).GetAwaiter().GetResult();
                }
                result["round"] = done.RoundId;
                result["scheme"] = info.Scheme;
                result["client_id"] = done.ClientId;
                result["survivors"] = done.Survivors.Count;
                if (done.Sum is not null)
                {
                    result["included"] = done.Included;
                }
                result["completed"] = true;
            }
        }
        catch (Exception e) when (e is SecureFedException or ArgumentException or SealExportException or SealFormatException
            || (e is InvalidOperationException && sealEncryptor is not null))
        {
            result["error"] = e.Message;
            output.WriteLine(JsonSerializer.Serialize(result));
            return 1;
        }
        output.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static ulong[][] ReadInput(string file, IReadOnlyList<VectorSpec> specs, int clients, bool reals, double clip)
    {
        if (!File.Exists(file))
        {
            throw new CliUsageException($"no input file {file}");
        }
        var groups = new List<List<string>> { new() };
        foreach (string raw in File.ReadLines(file))
        {
            string line = raw.Split('#')[0].Trim();
            if (line == "---")
            {
                groups.Add([]);
                continue;
            }
            groups[^1].AddRange(line.Split([' ', ',', '\t', ';'], StringSplitOptions.RemoveEmptyEntries));
        }
        if (groups.Count != specs.Count)
        {
            throw new CliUsageException($"the round has {specs.Count} vector(s); {file} has {groups.Count}");
        }
        var result = new ulong[groups.Count][];
        for (int j = 0; j < groups.Count; j++)
        {
            VectorSpec spec = specs[j];
            if (groups[j].Count != spec.Length)
            {
                throw new CliUsageException($"vector {j} must have {spec.Length} values; {file} has {groups[j].Count}");
            }
            result[j] = reals ? Quantize(groups[j], spec, clients, clip) : Integers(groups[j], spec);
        }
        return result;
    }

    private static ulong[] Integers(List<string> words, VectorSpec spec)
    {
        ulong limit = spec.Bits == 64 ? ulong.MaxValue : (1UL << spec.Bits) - 1;
        return [.. words.Select((w, i) => ulong.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) && v <= limit
            ? v
            : throw new CliUsageException($"value {i} ('{w}') is not an integer in [0, 2^{spec.Bits}); use --reals for real numbers"))];
    }

    private static ulong[] Quantize(List<string> words, VectorSpec spec, int clients, double clip)
    {
        double[] values = [.. words.Select((w, i) => double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsNaN(v)
            ? v
            : throw new CliUsageException($"value {i} ('{w}') is not a number"))];
        FixedPointQuantizer q;
        try
        {
            q = FixedPointQuantizer.Create(clip, spec.Bits, clients);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliUsageException(e.Message.Split(Environment.NewLine)[0]);
        }
        var result = new ulong[values.Length];
        q.Quantize(values, result, SystemRandomSource.Instance);
        return result;
    }
}
