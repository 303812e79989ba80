using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Storage;
using SecureFed.Aggregator.Transcripts;
using SecureFed.Transport;

namespace SecureFed.Aggregator;

/// <summary>
/// Builds the aggregator web application: options (appsettings.json, environment, command line) validated at
/// start-up, SQLite storage, the client API (/v1), the admin API (/admin/v1), /healthz and /metrics.
/// </summary>
public sealed class AggregatorApplication
{
    private AggregatorApplication()
    {
    }

    /// <summary>Creates the service; <paramref name="configure"/> may add configuration or services (tests, the CLI).</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid, or plain HTTP would listen beyond loopback.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        // Per-request framework logs are noise at this service's request rates; configuration can lower this again.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configure?.Invoke(builder);
        ConfigureServices(builder);
        WebApplication app = builder.Build();
        CheckListenAddresses(app);
        ConfigurePipeline(app);
        return app;
    }

    /// <summary>The admin key file of a built service (what `securefed serve` prints and the CLI reads on loopback).</summary>
    public static string AdminKeyFilePath(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<AdminCredential>().FilePath;
    }

    /// <summary>
    /// The transcript signing key of a built service, or null when transcripts are disabled: its public key (64 hex
    /// digits, what auditors pass to `audit verify --aggregator-key`) and the file holding it.
    /// </summary>
    public static (string PublicKeyHex, string FilePath)? TranscriptKey(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<AggregatorOptions>>().Value.TranscriptsEnabled)
        {
            return null;
        }
        TranscriptSigningKey key = app.Services.GetRequiredService<TranscriptSigningKey>();
        return (key.PublicKeyHex, key.FilePath);
    }

    private static void ConfigureServices(WebApplicationBuilder builder)
    {
        IServiceCollection services = builder.Services;
        services.AddOptions<AggregatorOptions>().Bind(builder.Configuration.GetSection(AggregatorOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AggregatorOptions>, AggregatorOptionsValidator>();
        // Kestrel's connection and header limits, set explicitly from the service's settings (request bodies are
        // limited per route: each round's largest envelope, 4 KiB elsewhere; the request rate per key below).
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<AggregatorOptions>>((kestrel, o) =>
        {
            kestrel.Limits.MaxConcurrentConnections = o.Value.MaxConnections;
            kestrel.Limits.MaxRequestHeadersTotalSize = o.Value.MaxRequestHeaderBytes;
        });
        services.TryAddSingleton(TimeProvider.System); // a host (or a test) may bring its own clock
        services.AddSingleton(sp => new AggregatorDatabase(sp.GetRequiredService<IOptions<AggregatorOptions>>().Value.DatabasePath));
        services.AddSingleton<RosterStore>();
        services.AddSingleton<RoundStore>();
        services.AddSingleton<RoundEncodingStore>();
        services.AddSingleton<PrivacyLedgerStore>();
        services.AddSingleton<PrivacyLedgers>();
        services.AddSingleton<AggregatorMetrics>();
        services.AddSingleton<PrometheusExposition>();
        services.AddSingleton<IHostedScheme, MaskingHostedScheme>();
        services.AddSingleton<IHostedScheme, HeHostedScheme>();
        services.AddSingleton<HostedSchemes>();
        services.AddSingleton<RoundCoordinator>();
        services.AddSingleton<NonceStore>();
        services.AddSingleton<NonceCache>();
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<AdminCredential>();
        services.AddSingleton<TranscriptSigningKey>();
        services.AddHostedService<StageDeadlineService>();
        services.AddProblemDetails();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (ctx, _) => new ValueTask(ProblemResponses.Problem(ProblemCode.RateLimited, "too many requests from this client; retry later").ExecuteAsync(ctx.HttpContext));
            o.AddPolicy(ClientEndpoints.RateLimitPolicy, ctx =>
            {
                AggregatorOptions opts = ctx.RequestServices.GetRequiredService<IOptions<AggregatorOptions>>().Value;
                // Partition by the claimed key and the peer address: a forged key header only spends the forger's own bucket.
                string partition = ctx.Request.Headers[TransportHeaders.Key].ToString() + "|" + ctx.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = opts.ClientRequestBurst,
                    TokensPerPeriod = opts.ClientRequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
    }

    private static void CheckListenAddresses(WebApplication app)
    {
        AggregatorOptions options = app.Services.GetRequiredService<IOptions<AggregatorOptions>>().Value;
        List<string> insecure = ListenAddressPolicy.InsecureUrls(app.Configuration);
        if (insecure.Count > 0 && !options.AllowInsecureHttp)
        {
            throw new OptionsValidationException(AggregatorOptions.Section, typeof(AggregatorOptions),
                [$"plain HTTP on a non-loopback address ({string.Join(", ", insecure)}): configure HTTPS (Kestrel certificate) or set Aggregator:AllowInsecureHttp=true"]);
        }
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        // Open the database, replay running rounds and create the admin key before the first request.
        app.Services.GetRequiredService<RoundCoordinator>();
        app.Services.GetRequiredService<AdminCredential>();
        if (app.Services.GetRequiredService<IOptions<AggregatorOptions>>().Value.TranscriptsEnabled)
        {
            app.Services.GetRequiredService<TranscriptSigningKey>(); // a bad key file fails the start, not the first download
        }
        app.Services.GetRequiredService<PrometheusExposition>();
        app.Services.GetRequiredService<RequestAuthenticator>(); // opens the persisted nonce table before the first request
        app.UseMiddleware<ProblemMiddleware>();
        app.UseRateLimiter();
        app.MapGet("/healthz", (RoundCoordinator rounds) => Results.Json(new
        {
            status = "ok",
            running = rounds.Running,
            rounds = rounds.Rounds.Count(),
        }));
        app.MapGet("/metrics", (PrometheusExposition metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4"));
        ClientEndpoints.Map(app);
        AdminEndpoints.Map(app);
    }
}
