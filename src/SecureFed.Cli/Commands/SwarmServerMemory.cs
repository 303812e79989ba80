using System.Globalization;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The aggregator's memory as its own Prometheus endpoint reports it (the .NET runtime meter): the process working set
/// (resident bytes now, not the peak), the managed heap after the last collection (summed over generations) and the
/// memory the GC had committed then (heap plus what it keeps for reuse), and how many gen2 collections it has run.
/// </summary>
internal sealed record SwarmServerMemory(double? WorkingSetMb, double? GcHeapMb, double? GcCommittedMb, long? Gen2Collections = null)
{
    private const string WorkingSet = "dotnet_process_memory_working_set_bytes";
    private const string GcHeap = "dotnet_gc_last_collection_heap_size_bytes";
    private const string GcCommitted = "dotnet_gc_last_collection_memory_committed_size_bytes";
    private const string Collections = "dotnet_gc_collections_total";

    /// <summary>Scrapes <c>/metrics</c>; every value null when the endpoint is missing or not served.</summary>
    public static async Task<SwarmServerMemory> ReadAsync(HttpClient http, Uri server)
    {
        string text;
        try
        {
            using HttpResponseMessage r = await http.GetAsync(new Uri(server, "/metrics")).ConfigureAwait(false);
            if (!r.IsSuccessStatusCode)
            {
                return new(null, null, null);
            }
            text = await r.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return new(null, null, null);
        }
        return Parse(text);
    }

    /// <summary>Reads the three families from Prometheus text (samples "name{labels} value [timestamp]").</summary>
    public static SwarmServerMemory Parse(string text)
    {
        double? workingSet = null, heap = null, committed = null;
        long? gen2 = null;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                continue;
            }
            string name = parts[0].Split('{')[0];
            if (name == WorkingSet)
            {
                workingSet = value;
            }
            else if (name == GcHeap)
            {
                heap = (heap ?? 0) + value;
            }
            else if (name == GcCommitted)
            {
                committed = value;
            }
            else if (name == Collections && parts[0].Contains("gc_heap_generation=\"gen2\"", StringComparison.Ordinal))
            {
                gen2 = (long)value;
            }
        }
        return new(Mb(workingSet), Mb(heap), Mb(committed), gen2);
    }

    private static double? Mb(double? bytes) => bytes is { } b ? Math.Round(b / (1024.0 * 1024.0), 1) : null;
}
