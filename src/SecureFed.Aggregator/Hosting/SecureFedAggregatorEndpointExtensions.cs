using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Transcripts;

namespace SecureFed.Aggregator.Hosting;

/// <summary>Maps the aggregator registered by <see cref="SecureFedAggregatorServiceCollectionExtensions.AddSecureFedAggregator(IServiceCollection, IConfiguration)"/>.</summary>
public static class SecureFedAggregatorEndpointExtensions
{
    /// <summary>
    /// Opens the store (replaying running rounds), creates the admin key if missing, and maps the client API (/v1), the
    /// admin API (/admin/v1), /healthz and the Prometheus metrics (<see cref="AggregatorOptions.MetricsPath"/>). Problem
    /// responses and the per-client rate limit apply to these paths only; the host app's other endpoints are untouched.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid, or plain HTTP would listen beyond loopback.</exception>
    /// <exception cref="InvalidOperationException">AddSecureFedAggregator was not called, or a key file is unreadable.</exception>
    public static WebApplication MapSecureFed(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<RoundCoordinator>() is null)
        {
            throw new InvalidOperationException("call services.AddSecureFedAggregator(...) before app.MapSecureFed()");
        }
        AggregatorOptions options = app.Services.GetRequiredService<IOptions<AggregatorOptions>>().Value;
        CheckListenAddresses(app, options);
        // Open the database, replay running rounds and create the admin key before the first request.
        app.Services.GetRequiredService<RoundCoordinator>();
        app.Services.GetRequiredService<AdminCredential>();
        if (options.TranscriptsEnabled)
        {
            app.Services.GetRequiredService<TranscriptSigningKey>(); // a bad key file fails the start, not the first download
        }
        app.Services.GetRequiredService<RequestAuthenticator>(); // opens the persisted nonce table before the first request
        app.UseWhen(context => IsOurs(context.Request.Path), branch =>
        {
            branch.UseMiddleware<ProblemMiddleware>();
            branch.UseRateLimiter();
        });
        app.MapGet("/healthz", async (IRoundHost rounds, CancellationToken ct) =>
        {
            (int running, int count) = await rounds.CountAsync(ct).ConfigureAwait(false);
            return Results.Json(new { status = "ok", running, rounds = count });
        });
        if (!string.IsNullOrEmpty(options.MetricsPath))
        {
            app.MapPrometheusScrapingEndpoint(options.MetricsPath);
        }
        ClientEndpoints.Map(app);
        AdminEndpoints.Map(app);
        return app;
    }

    private static bool IsOurs(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/admin") || path.StartsWithSegments("/healthz");

    private static void CheckListenAddresses(WebApplication app, AggregatorOptions options)
    {
        List<string> insecure = ListenAddressPolicy.InsecureUrls(app.Configuration);
        if (insecure.Count > 0 && !options.AllowInsecureHttp)
        {
            throw new OptionsValidationException(AggregatorOptions.Section, typeof(AggregatorOptions),
                [$"plain HTTP on a non-loopback address ({string.Join(", ", insecure)}): configure HTTPS (Kestrel certificate) or set Aggregator:AllowInsecureHttp=true"]);
        }
    }
}
