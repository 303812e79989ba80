using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Transcripts;

namespace SecureFed.Aggregator;

/// <summary>
/// The standalone aggregator service: an empty ASP.NET Core application with
/// <see cref="SecureFedAggregatorServiceCollectionExtensions.AddSecureFedAggregator(IServiceCollection, IConfiguration)"/>
/// (settings from appsettings.json, environment and command line, section "Aggregator") and
/// <see cref="SecureFedAggregatorEndpointExtensions.MapSecureFed"/>.
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
        builder.Services.AddSecureFedAggregator(builder.Configuration.GetSection(AggregatorOptions.Section));
        WebApplication app = builder.Build();
        app.MapSecureFed();
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
}
