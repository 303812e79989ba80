using Microsoft.Extensions.Options;

namespace SecureFed.Aggregator.Hosting;

/// <summary>Checks <see cref="AggregatorOptions"/> at start-up; every failure names the setting.</summary>
internal sealed class AggregatorOptionsValidator : IValidateOptions<AggregatorOptions>
{
    public ValidateOptionsResult Validate(string? name, AggregatorOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.DatabasePath))
        {
            failures.Add("Aggregator:DatabasePath must name a file");
        }
        if (o.ReplayWindowSeconds is < 1 or > 86_400)
        {
            failures.Add($"Aggregator:ReplayWindowSeconds must be in [1, 86400], got {o.ReplayWindowSeconds}");
        }
        if (o.LongPollSeconds is < 0 or > 300)
        {
            failures.Add($"Aggregator:LongPollSeconds must be in [0, 300], got {o.LongPollSeconds}");
        }
        if (o.DeadlineCheckMilliseconds is < 10 or > 60_000)
        {
            failures.Add($"Aggregator:DeadlineCheckMilliseconds must be in [10, 60000], got {o.DeadlineCheckMilliseconds}");
        }
        if (o.RestartGraceSeconds is < 0 or > 3600)
        {
            failures.Add($"Aggregator:RestartGraceSeconds must be in [0, 3600], got {o.RestartGraceSeconds}");
        }
        if (o.ClientRequestsPerSecond < 1 || o.ClientRequestBurst < 1)
        {
            failures.Add("Aggregator:ClientRequestsPerSecond and Aggregator:ClientRequestBurst must be at least 1");
        }
        if (o.TranscriptKeyFile is not null && string.IsNullOrWhiteSpace(o.TranscriptKeyFile))
        {
            failures.Add("Aggregator:TranscriptKeyFile must name a file when set");
        }
        if (o.MaxRunningRounds < 1)
        {
            failures.Add("Aggregator:MaxRunningRounds must be at least 1");
        }
        if (o.EndedRoundsInMemory < 0)
        {
            failures.Add($"Aggregator:EndedRoundsInMemory must be 0 or more, got {o.EndedRoundsInMemory}");
        }
        if (o.MaxConnections < 1)
        {
            failures.Add($"Aggregator:MaxConnections must be at least 1, got {o.MaxConnections}");
        }
        if (o.MaxRequestHeaderBytes is < 4096 or > 1 << 20)
        {
            failures.Add($"Aggregator:MaxRequestHeaderBytes must be in [4096, 1048576], got {o.MaxRequestHeaderBytes}");
        }
        if (!string.IsNullOrEmpty(o.MetricsPath) && !o.MetricsPath.StartsWith('/'))
        {
            failures.Add($"Aggregator:MetricsPath must start with '/' (or be empty to serve no metrics), got '{o.MetricsPath}'");
        }
        if (!string.IsNullOrWhiteSpace(o.OtlpEndpoint)
            && !(Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out Uri? otlp) && (otlp.Scheme == Uri.UriSchemeHttp || otlp.Scheme == Uri.UriSchemeHttps)))
        {
            failures.Add($"Aggregator:OtlpEndpoint must be an absolute http(s) URL, got '{o.OtlpEndpoint}'");
        }
        if (!Enum.IsDefined(o.OtlpProtocol))
        {
            failures.Add($"Aggregator:OtlpProtocol must be Grpc or HttpProtobuf, got {o.OtlpProtocol}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
