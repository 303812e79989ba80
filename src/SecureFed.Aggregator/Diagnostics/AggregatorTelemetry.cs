using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SecureFed.Aggregator.Hosting;

namespace SecureFed.Aggregator.Diagnostics;

/// <summary>
/// OpenTelemetry for the aggregator: metrics from the "SecureFed.Aggregator" meter, ASP.NET Core and the .NET runtime,
/// served in the Prometheus text format by the Prometheus exporter; traces from the "SecureFed.Aggregator" activity
/// source and ASP.NET Core. Both go to an OTLP collector when <see cref="AggregatorOptions.OtlpEndpoint"/> is set.
/// </summary>
internal static class AggregatorTelemetry
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<RoundTracing>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("securefed-aggregator", serviceVersion: typeof(AggregatorTelemetry).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics
                .AddMeter(AggregatorMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter()
                .Deferred((sp, builder) =>
                {
                    // Meters made by another service provider's IMeterFactory (another aggregator or app in the same
                    // process, as in tests) share names with ours; only this provider's instruments are exported.
                    IMeterFactory own = sp.GetRequiredService<IMeterFactory>();
                    builder.AddView(instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own)
                        ? MetricStreamConfiguration.Drop
                        : null);
                    if (Otlp(sp) is { } otlp)
                    {
                        builder.AddReader(new PeriodicExportingMetricReader(new OtlpMetricExporter(otlp)));
                    }
                }))
            .WithTracing(tracing => tracing
                .AddSource(RoundTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/metrics") && !context.Request.Path.StartsWithSegments("/healthz"))
                .Deferred((sp, builder) =>
                {
                    if (Otlp(sp) is { } otlp)
                    {
                        builder.AddProcessor(new BatchActivityExportProcessor(new OtlpTraceExporter(otlp)));
                    }
                }));
    }

    // Work that needs the built service provider (its meter factory, the validated options).
    private static MeterProviderBuilder Deferred(this MeterProviderBuilder metrics, Action<IServiceProvider, MeterProviderBuilder> configure) =>
        ((IDeferredMeterProviderBuilder)metrics).Configure(configure);

    private static TracerProviderBuilder Deferred(this TracerProviderBuilder tracing, Action<IServiceProvider, TracerProviderBuilder> configure) =>
        ((IDeferredTracerProviderBuilder)tracing).Configure(configure);

    // The collector's settings, or null when no collector is configured (then nothing leaves the process but /metrics).
    private static OtlpExporterOptions? Otlp(IServiceProvider sp)
    {
        AggregatorOptions options = sp.GetRequiredService<IOptions<AggregatorOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            return null;
        }
        return new OtlpExporterOptions { Endpoint = new Uri(options.OtlpEndpoint), Protocol = options.OtlpProtocol };
    }
}
