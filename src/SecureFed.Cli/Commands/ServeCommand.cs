using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve`: runs the blind aggregator service (Kestrel + SQLite) until Ctrl+C.</summary>
internal sealed class ServeCommand : CliCommand
{
    public const string DefaultUrl = "http://127.0.0.1:7870";

    private readonly Option<string?> _urls = CliOptions.Text("--urls", "URLS", $"listen addresses, ';'-separated (default {DefaultUrl})");
    private readonly Option<string> _db = new("--db")
    {
        Description = "SQLite database, created when missing", HelpName = "FILE", DefaultValueFactory = _ => "securefed.db",
    };
    private readonly Option<string?> _adminKeyFile = CliOptions.Text("--admin-key-file", "FILE", "admin API key file, created when missing (default securefed-admin.key beside the database)");
    private readonly Option<bool> _insecure = CliOptions.Flag("--allow-insecure-http", "allow plain HTTP on non-loopback addresses (default: loopback only; use HTTPS otherwise)");
    private readonly Option<bool> _transcripts = CliOptions.Flag("--transcripts",
        "keep every message of rounds opened from now on and serve each finished round's signed transcript (`serve admin transcript ROUND --out FILE`; masked inputs are then stored)");
    private readonly Option<string?> _transcriptKeyFile = CliOptions.Text("--transcript-key-file", "FILE",
        "the aggregator's Ed25519 transcript signing key, created when missing (default securefed-aggregator.key beside the database)");

    private readonly Option<bool> _cluster = CliOptions.Flag("--cluster",
        "run as one silo of an Orleans cluster on PostgreSQL (connection string from ConnectionStrings__SecureFedCluster or SECUREFED_POSTGRES, never the command line); every silo serves the same HTTP API");
    private readonly Option<int> _siloPort = CliOptions.Int("--silo-port", "PORT", "--cluster: the silo-to-silo port", 11111, 1, 65535);
    private readonly Option<int> _gatewayPort = CliOptions.Int("--gateway-port", "PORT", "--cluster: the Orleans client gateway port", 30000, 1, 65535);
    private readonly Option<int?> _httpPort = new("--http-port")
    {
        Description = "shorthand for --urls http://127.0.0.1:PORT", HelpName = "PORT",
    };
    private readonly Option<string> _clusterId = new("--cluster-id")
    {
        Description = "--cluster: the cluster (and service) id; silos with the same id and database form one aggregator", HelpName = "ID",
        DefaultValueFactory = _ => "securefed",
    };
    private readonly Option<int> _shards = CliOptions.Int("--shards", "N",
        "--cluster: shard grains per masking round, spread over the silos (0: one per active silo when the round opens; 1: the whole round in one grain)", 0, 0, 256);
    private readonly Option<string> _siloAddress = new("--silo-address")
    {
        Description = "--cluster: the address other silos reach this one at", HelpName = "IP", DefaultValueFactory = _ => "127.0.0.1",
    };

    public override string Name => "serve";

    public override string Description => """
        run the blind aggregator service (HTTP + SQLite); see also `serve admin`
        Every other setting comes from appsettings.json in the working folder or environment variables such as
        Aggregator__ReplayWindowSeconds=300 (section "Aggregator", see protocol-spec/transport.md). HTTPS is configured
        the standard Kestrel way, e.g. Kestrel__Endpoints__Https__Url=https://0.0.0.0:7871 and
        Kestrel__Endpoints__Https__Certificate__Path=cert.pfx.
        --cluster: this process is one silo of the aggregator; run one per machine (or per port on one machine) with the
        same --cluster-id and PostgreSQL database and the same admin key file (docs/cluster-design.md). Rounds live in
        PostgreSQL; the local SQLite file (default securefed-silo-PORT.db) keeps only request nonces.
        """;

    public override IEnumerable<Symbol> Symbols => [_urls, _db, _adminKeyFile, _insecure, _transcripts, _transcriptKeyFile, _cluster, _siloPort, _gatewayPort,
        _httpPort, _clusterId, _siloAddress, _shards];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output, error = console.Error;
        string? urls = parse.GetValue(_urls) ?? (parse.GetValue(_httpPort) is int port ? $"http://127.0.0.1:{port}" : null);
        bool cluster = parse.GetValue(_cluster);
        string db = cluster && !CliOptions.Given(parse, _db) ? $"securefed-silo-{parse.GetValue(_siloPort)}.db" : parse.GetRequiredValue(_db);
        ClusterSilo? silo = null;
        if (cluster)
        {
            if (!System.Net.IPAddress.TryParse(parse.GetValue(_siloAddress), out System.Net.IPAddress? address))
            {
                throw new CliUsageException($"--silo-address must be an IP address (got {parse.GetValue(_siloAddress)})");
            }
            silo = new ClusterSilo(parse.GetRequiredValue(_clusterId), address, parse.GetValue(_siloPort), parse.GetValue(_gatewayPort));
        }
        string? keyFile = parse.GetValue(_adminKeyFile);
        bool insecure = parse.GetValue(_insecure);
        bool transcripts = parse.GetValue(_transcripts);
        string? transcriptKeyFile = parse.GetValue(_transcriptKeyFile);

        var hostArgs = new List<string> { $"--Aggregator:DatabasePath={Path.GetFullPath(db)}" };
        // Only default the URL when neither the environment nor appsettings chose endpoints.
        if (urls is not null || (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null && Environment.GetEnvironmentVariable("Kestrel__Endpoints__Https__Url") is null))
        {
            hostArgs.AddRange(["--urls", urls ?? DefaultUrl]);
        }
        if (keyFile is not null)
        {
            hostArgs.Add($"--Aggregator:AdminKeyFile={Path.GetFullPath(keyFile)}");
        }
        if (insecure)
        {
            hostArgs.Add("--Aggregator:AllowInsecureHttp=true");
        }
        if (transcripts)
        {
            hostArgs.Add("--Aggregator:TranscriptsEnabled=true");
        }
        if (cluster && CliOptions.Given(parse, _shards))
        {
            hostArgs.Add($"--Cluster:Shards={parse.GetValue(_shards)}");
        }
        if (transcriptKeyFile is not null)
        {
            hostArgs.Add($"--Aggregator:TranscriptKeyFile={Path.GetFullPath(transcriptKeyFile)}");
        }
        WebApplication app;
        try
        {
            app = AggregatorApplication.Build([.. hostArgs], silo is null ? null : silo.Configure);
        }
        catch (ClusterConfigurationException e)
        {
            error.WriteLine($"securefed serve: {e.Message}");
            return 2;
        }
        catch (OptionsValidationException e)
        {
            error.WriteLine($"securefed serve: {string.Join("; ", e.Failures)}");
            return 2;
        }
        catch (SecureFed.Aggregator.Storage.StoreCheckFailedException e)
        {
            error.WriteLine($"securefed serve: {e.Message}");
            return 1;
        }
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            output.WriteLine($"securefed aggregator listening on {string.Join(", ", app.Urls)}");
            if (silo is not null)
            {
                output.WriteLine($"  cluster    {silo.ClusterId}: silo {silo.Address}:{silo.SiloPort}, gateway {silo.GatewayPort}, {silo.Database}");
            }
            output.WriteLine($"  database   {Path.GetFullPath(db)}");
            output.WriteLine($"  admin key  {AggregatorApplication.AdminKeyFilePath(app)}");
            if (AggregatorApplication.TranscriptKey(app) is { } key)
            {
                output.WriteLine($"  transcripts on; signing key {key.FilePath}");
                output.WriteLine($"  aggregator public key {key.PublicKeyHex} (publish it: `audit verify --aggregator-key`)");
            }
            output.WriteLine(silo is null
                ? "  Ctrl+C stops it; running rounds resume on the next start."
                : "  Ctrl+C stops this silo; its rounds move to the other silos (or resume when one starts).");
        });
        app.Run();
        return 0;
    }
}
