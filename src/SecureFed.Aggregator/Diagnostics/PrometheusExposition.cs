using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace SecureFed.Aggregator.Diagnostics;

/// <summary>
/// Serves the "SecureFed.Aggregator" meter in the Prometheus text format at /metrics (counters as <c>_total</c>,
/// histograms as summaries with <c>_sum</c>/<c>_count</c>, gauges as they are observed at scrape time).
/// OpenTelemetry users can subscribe to the meter directly instead.
/// </summary>
internal sealed class PrometheusExposition : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), double> _values = new();
    private readonly ConcurrentDictionary<string, (string Type, string Help)> _types = new(StringComparer.Ordinal);
    private readonly Lock _scrape = new();

    public PrometheusExposition(AggregatorMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this service's meter: another service in the same process (tests) has its own instance of the
            // same name, and its gauges would overwrite ours at scrape time.
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Render()
    {
        lock (_scrape)
        {
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var group in _values.GroupBy(kv => kv.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                string family = group.Key.EndsWith("_sum", StringComparison.Ordinal) || group.Key.EndsWith("_count", StringComparison.Ordinal)
                    ? group.Key[..group.Key.LastIndexOf('_')]
                    : group.Key;
                if (_types.TryGetValue(family, out var t) && !group.Key.EndsWith("_count", StringComparison.Ordinal))
                {
                    text.Append("# HELP ").Append(family).Append(' ').Append(t.Help).Append('\n');
                    text.Append("# TYPE ").Append(family).Append(' ').Append(t.Type).Append('\n');
                }
                foreach (var kv in group.OrderBy(kv => kv.Key.Labels, StringComparer.Ordinal))
                {
                    text.Append(kv.Key.Name).Append(kv.Key.Labels).Append(' ').Append(kv.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                }
            }
            return text.ToString();
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string baseName = instrument.Name.Replace('.', '_') + instrument.Unit switch { "s" => "_seconds", "By" => "_bytes", _ => "" };
        string labels = Labels(tags);
        switch (instrument)
        {
            case Counter<long> or Counter<int> or Counter<double>:
                string counter = baseName + "_total";
                _types.TryAdd(counter, ("counter", instrument.Description ?? ""));
                _values.AddOrUpdate((counter, labels), value, (_, old) => old + value);
                break;
            case Histogram<double> or Histogram<long>:
                _types.TryAdd(baseName, ("summary", instrument.Description ?? ""));
                _values.AddOrUpdate((baseName + "_sum", labels), value, (_, old) => old + value);
                _values.AddOrUpdate((baseName + "_count", labels), 1, (_, old) => old + 1);
                break;
            default:
                _types.TryAdd(baseName, ("gauge", instrument.Description ?? ""));
                _values[(baseName, labels)] = value;
                break;
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var parts = new List<string>(tags.Length);
        foreach (var (k, v) in tags)
        {
            string escaped = Convert.ToString(v, CultureInfo.InvariantCulture)?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) ?? "";
            parts.Add($"{k}=\"{escaped}\"");
        }
        parts.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', parts) + "}";
    }

    public void Dispose() => _listener.Dispose();
}
