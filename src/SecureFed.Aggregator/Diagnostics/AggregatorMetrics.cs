using System.Diagnostics.Metrics;

namespace SecureFed.Aggregator.Diagnostics;

/// <summary>
/// The service's instruments on the meter "SecureFed.Aggregator" (System.Diagnostics.Metrics), created through the
/// host's <see cref="IMeterFactory"/> so that each service in a process has its own; <see cref="AggregatorTelemetry"/>
/// exports them (Prometheus text at /metrics, OTLP when configured).
/// </summary>
internal sealed class AggregatorMetrics : IDisposable
{
    public const string MeterName = "SecureFed.Aggregator";

    // Bucket bounds in seconds (the SDK's defaults suit milliseconds): requests include long polls of up to
    // Aggregator:LongPollSeconds; stages last from sub-second (all received at once) to their deadline.
    private static readonly double[] RequestBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] StageBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

    private readonly Meter _meter;

    public AggregatorMetrics(IMeterFactory factory)
    {
        _meter = factory.Create(MeterName);
        RoundsOpened = _meter.CreateCounter<long>("securefed.rounds.opened", description: "rounds opened");
        RoundsFinished = _meter.CreateCounter<long>("securefed.rounds.finished", description: "rounds ended, tagged by outcome");
        StagesClosed = _meter.CreateCounter<long>("securefed.stages.closed", description: "stages closed, tagged by stage and cause");
        MessagesAccepted = _meter.CreateCounter<long>("securefed.messages.accepted", description: "client messages stored");
        MessagesRejected = _meter.CreateCounter<long>("securefed.messages.rejected", description: "client messages refused, tagged by reason");
        BytesReceived = _meter.CreateCounter<long>("securefed.bytes.received", unit: "By", description: "protocol bytes received");
        BytesSent = _meter.CreateCounter<long>("securefed.bytes.sent", unit: "By", description: "protocol bytes sent");
        ClientsDropped = _meter.CreateCounter<long>("securefed.clients.dropped", description: "clients that missed a stage, tagged by stage");
        RequestDuration = _meter.CreateHistogram<double>("securefed.request.duration", unit: "s", description: "client and admin request latency",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        StageDuration = _meter.CreateHistogram<double>("securefed.stage.duration", unit: "s", description: "time from a stage's opening to its close",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StageBuckets });
        _meter.CreateObservableGauge("securefed.rounds.running", () => RunningRounds(), description: "rounds currently running");
        _meter.CreateObservableGauge("securefed.rounds.in_memory", () => RoundsInMemory(),
            description: "rounds held in memory: the running ones and the cache of recently used ended ones");
    }

    /// <summary>Set by the coordinator: how many rounds are running.</summary>
    public Func<int> RunningRounds { get; set; } = () => 0;

    /// <summary>Set by the coordinator: how many rounds it holds in memory (bounded: see Aggregator:EndedRoundsInMemory).</summary>
    public Func<int> RoundsInMemory { get; set; } = () => 0;

    public Counter<long> RoundsOpened { get; }

    public Counter<long> RoundsFinished { get; }

    public Counter<long> StagesClosed { get; }

    public Counter<long> MessagesAccepted { get; }

    public Counter<long> MessagesRejected { get; }

    public Counter<long> BytesReceived { get; }

    /// <summary>Counts one refused client message under its reason's name.</summary>
    public void CountRejected(string reason) => MessagesRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts one round that ended with <paramref name="outcome"/> (a <c>RoundStore</c> status).</summary>
    public void CountFinished(string outcome) => RoundsFinished.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public Counter<long> BytesSent { get; }

    public Counter<long> ClientsDropped { get; }

    public Histogram<double> RequestDuration { get; }

    public Histogram<double> StageDuration { get; }

    public void Dispose() => _meter.Dispose();
}
