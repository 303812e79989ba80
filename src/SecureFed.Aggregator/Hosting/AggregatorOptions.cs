using OpenTelemetry.Exporter;

namespace SecureFed.Aggregator.Hosting;

/// <summary>
/// Service settings, section "Aggregator" of appsettings.json, environment (<c>Aggregator__DatabasePath</c>) or
/// command line (<c>--Aggregator:DatabasePath=...</c>); validated at start-up by <see cref="AggregatorOptionsValidator"/>.
/// </summary>
public sealed class AggregatorOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Aggregator";

    /// <summary>SQLite database file (created when missing). Default: securefed.db in the working folder.</summary>
    public string DatabasePath { get; set; } = "securefed.db";

    /// <summary>File holding the admin API key (hex); generated with mode 0600 when missing. Default: securefed-admin.key beside the database.</summary>
    public string? AdminKeyFile { get; set; }

    /// <summary>Allow plain-HTTP endpoints on non-loopback addresses (off: plain HTTP only on loopback).</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Signed requests older or newer than this many seconds are refused; nonces are remembered this long.</summary>
    public double ReplayWindowSeconds { get; set; } = 300;

    /// <summary>Longest time a poll for a server message is held open.</summary>
    public double LongPollSeconds { get; set; } = 20;

    /// <summary>How often stage deadlines are checked, in milliseconds.</summary>
    public int DeadlineCheckMilliseconds { get; set; } = 200;

    /// <summary>After a restart, every open stage stays open at least this long so clients can reconnect.</summary>
    public double RestartGraceSeconds { get; set; } = 10;

    /// <summary>Client requests per second allowed per identity key (token bucket refill rate).</summary>
    public int ClientRequestsPerSecond { get; set; } = 20;

    /// <summary>Token bucket size per identity key (bursts).</summary>
    public int ClientRequestBurst { get; set; } = 60;

    /// <summary>Largest number of rounds running at once.</summary>
    public int MaxRunningRounds { get; set; } = 64;

    /// <summary>
    /// Ended rounds kept in memory, least recently used evicted first (0: none). An ended round is served from the
    /// database (its outcome, each accepted message's sender and SHA-256 for already-accepted resends, its
    /// configuration); this cache only spares a database read for the burst of polls right after a round ends, so
    /// memory stays flat however many rounds the service has run.
    /// </summary>
    public int EndedRoundsInMemory { get; set; } = 4;

    /// <summary>
    /// Keep every accepted client message and every server message of rounds opened from now on, so a finished round's
    /// signed transcript (protocol-spec/transcript.md section 6) can be downloaded. Off by default; when on, masked inputs are
    /// stored too (they are part of the transcript).
    /// </summary>
    public bool TranscriptsEnabled { get; set; }

    /// <summary>File holding the aggregator's Ed25519 transcript signing key (hex seed); generated with mode 0600 when
    /// missing. Default: securefed-aggregator.key beside the database.</summary>
    public string? TranscriptKeyFile { get; set; }

    /// <summary>Kestrel's limit on open connections (Limits.MaxConcurrentConnections): one per device in a round, plus
    /// headroom. Connections beyond it are closed at once.</summary>
    public long MaxConnections { get; set; } = 20_000;

    /// <summary>Kestrel's limit on the total size of a request's headers (Limits.MaxRequestHeadersTotalSize); a signed
    /// request's headers are well under 1 KiB. Larger header blocks are answered 431.</summary>
    public int MaxRequestHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>Path at which metrics are served in the Prometheus text format; empty: not served. Default: /metrics.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>
    /// OpenTelemetry collector (OTLP) endpoint that receives traces and metrics, for example http://localhost:4317;
    /// unset (the default): nothing is exported beyond <see cref="MetricsPath"/>.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>OTLP transport when <see cref="OtlpEndpoint"/> is set: Grpc (default, port 4317) or HttpProtobuf (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;
}
