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

    public override string Name => "serve";

    public override string Description => """
        run the blind aggregator service (HTTP + SQLite); see also `serve admin`
        Every other setting comes from appsettings.json in the working folder or environment variables such as
        Aggregator__ReplayWindowSeconds=300 (section "Aggregator", see protocol-spec/transport.md). HTTPS is configured
        the standard Kestrel way, e.g. Kestrel__Endpoints__Https__Url=https://0.0.0.0:7871 and
        Kestrel__Endpoints__Https__Certificate__Path=cert.pfx.
        """;

    public override IEnumerable<Symbol> Symbols => [_urls, _db, _adminKeyFile, _insecure, _transcripts, _transcriptKeyFile];

    public override int Run(ParseResult parse, CliConsole console)
    {
        TextWriter output = console.Output, error = console.Error;
        string? urls = parse.GetValue(_urls);
        string db = parse.GetRequiredValue(_db);
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
        if (transcriptKeyFile is not null)
        {
            hostArgs.Add($"--Aggregator:TranscriptKeyFile={Path.GetFullPath(transcriptKeyFile)}");
        }
        WebApplication app;
        try
        {
            app = AggregatorApplication.Build([.. hostArgs]);
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
            output.WriteLine($"  database   {Path.GetFullPath(db)}");
            output.WriteLine($"  admin key  {AggregatorApplication.AdminKeyFilePath(app)}");
            if (AggregatorApplication.TranscriptKey(app) is { } key)
            {
                output.WriteLine($"  transcripts on; signing key {key.FilePath}");
                output.WriteLine($"  aggregator public key {key.PublicKeyHex} (publish it: `audit verify --aggregator-key`)");
            }
            output.WriteLine("  Ctrl+C stops it; running rounds resume on the next start.");
        });
        app.Run();
        return 0;
    }
}
