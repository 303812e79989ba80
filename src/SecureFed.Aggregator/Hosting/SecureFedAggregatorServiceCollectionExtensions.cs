using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Faults;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Storage;
using SecureFed.Aggregator.Transcripts;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Hosting;

/// <summary>
/// Registers the blind aggregator in an ASP.NET Core application's services; <see cref="SecureFedAggregatorEndpointExtensions.MapSecureFed"/>
/// then maps its endpoints. The standalone service (<see cref="AggregatorApplication"/>) is these two calls on an empty app.
/// </summary>
public static class SecureFedAggregatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the aggregator with its settings bound from <paramref name="configuration"/> (the "Aggregator" section, e.g.
    /// <c>builder.Configuration.GetSection("Aggregator")</c>), validated when the application starts.
    /// </summary>
    public static IServiceCollection AddSecureFedAggregator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(services).Bind(configuration);
        return services;
    }

    /// <summary>Adds the aggregator with its settings set by <paramref name="configure"/>, validated when the application starts.</summary>
    public static IServiceCollection AddSecureFedAggregator(this IServiceCollection services, Action<AggregatorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services).Configure(configure);
        return services;
    }

    private static OptionsBuilder<AggregatorOptions> AddCore(IServiceCollection services)
    {
        OptionsBuilder<AggregatorOptions> options = services.AddOptions<AggregatorOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AggregatorOptions>, AggregatorOptionsValidator>();
        // Kestrel's connection and header limits, set explicitly from the service's settings (request bodies are
        // limited per route: each round's largest envelope, 4 KiB elsewhere; the request rate per key below).
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<AggregatorOptions>>((kestrel, o) =>
        {
            kestrel.Limits.MaxConcurrentConnections = o.Value.MaxConnections;
            kestrel.Limits.MaxRequestHeadersTotalSize = o.Value.MaxRequestHeaderBytes;
        });
        services.TryAddSingleton(TimeProvider.System); // a host (or a test) may bring its own clock
        services.TryAddSingleton(DurableStepKill.Off); // only the standalone service reads the test kill switch
        services.AddSingleton(sp => new AggregatorDatabase(sp.GetRequiredService<IOptions<AggregatorOptions>>().Value.DatabasePath));
        services.AddSingleton<RosterStore>();
        services.AddSingleton<RoundStore>();
        services.AddSingleton<RoundEncodingStore>();
        services.AddSingleton<PrivacyLedgerStore>();
        services.AddSingleton<PrivacyLedgers>();
        // The budget endpoints' ledger: a host that registered its own first (the cluster's, in PostgreSQL) keeps it.
        services.TryAddSingleton<IPrivacyBudgets>(sp => sp.GetRequiredService<PrivacyLedgers>());
        services.AddSingleton<AggregatorMetrics>();
        // Try-adds: a cluster silo in the same container registers the same schemes for its grains.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedScheme, MaskingHostedScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedScheme, HeHostedScheme>());
        services.TryAddSingleton<HostedSchemes>();
        services.AddSingleton<RoundCoordinator>();
        // The endpoints' round host: a host that registered its own first (the cluster's grains) keeps it.
        services.TryAddSingleton<IRoundHost, SingleNodeRoundHost>();
        services.AddSingleton<NonceStore>();
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<SharedAnswerWriter>();
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
        AggregatorTelemetry.Add(services);
        return options;
    }
}
