using System.Text.Json;
using System.Text.Json.Serialization;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Cli.Commands;

// The printed result of `simulate` (text or JSON), shared by the masking and HE paths' field names.
internal sealed class SimulationSummary
{
    // snake_case names, every field written (null too): the JSON of simulate (both schemes), bench secagg and swarm.
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Scheme { get; init; } = "masking";
    public int Clients { get; init; }
    public int Threshold { get; init; }
    public string Graph { get; set; } = "complete";
    public int Length { get; init; }
    public int Bits { get; init; }
    public double Dropout { get; init; }
    public string DropStage { get; init; } = "";
    public int Survivors { get; init; }
    public int DroppedBeforeMaskedInput { get; init; }
    public bool SumMatches { get; init; }
    public bool Aborted { get; init; }
    public string? AbortReason { get; init; }
    public double WallMs { get; init; }
    public double ClientMsMean { get; init; }
    public double ClientMsMedian { get; init; }
    public double ClientMsP90 { get; init; }
    public double ClientMsP99 { get; init; }
    public double ClientMsMax { get; init; }
    public double ServerMs { get; init; }
    public double ClientBytesSentMean { get; init; }
    public long ServerBytesSent { get; init; }
    public int Rejections { get; init; }
    public int ClientAborts { get; init; }
    public double? PeakRssMb { get; init; } // VmHWM at the end of the round; null where the platform has none
    public DpOutcome? Dp { get; set; }
    public IReadOnlyList<StageReport> Stages { get; init; } = [];

    public static SimulationSummary From(SimulationReport r, string scheme, int length, int bits, double dropout, ProtocolStage dropStage, double wallMs)
    {
        var senders = r.BytesSentPerClient.Values.Where(b => b > 0).ToList();
        var clientTimes = ClientTimeDistribution.Of(r.ClientMilliseconds);
        return new SimulationSummary
        {
            Scheme = scheme,
            Clients = r.Clients,
            Threshold = r.Threshold,
            Length = length,
            Bits = bits,
            Dropout = dropout,
            DropStage = dropStage.ToString(),
            Survivors = r.Result?.Survivors.Count ?? 0,
            DroppedBeforeMaskedInput = r.Result?.Dropped.Count ?? 0,
            SumMatches = r.SumMatches,
            Aborted = r.Result is null,
            AbortReason = r.AbortReason is null ? null : $"{r.AbortReason}: {r.AbortDetail}",
            WallMs = wallMs,
            // Per-client compute summed over the stages a client took part in: the mean over the clients, and the spread
            // (the slowest client, not the sum of each stage's slowest, which may be different clients).
            ClientMsMean = clientTimes.Mean,
            ClientMsMedian = clientTimes.Median,
            ClientMsP90 = clientTimes.P90,
            ClientMsP99 = clientTimes.P99,
            ClientMsMax = clientTimes.Max,
            ServerMs = r.Stages.Sum(s => s.ServerMilliseconds),
            ClientBytesSentMean = senders.Count == 0 ? 0 : senders.Average(),
            ServerBytesSent = r.ServerBytesSent,
            Rejections = r.Rejections.Count,
            ClientAborts = r.ClientAborts.Count,
            PeakRssMb = r.PeakResidentBytes / (1024.0 * 1024.0),
            Stages = r.Stages,
        };
    }

    public void WriteText(CliConsole console)
    {
        TextWriter o = console.Output;
        o.WriteLine($"scheme: {Scheme}  graph: {Graph}  clients: {Clients}  threshold: {Threshold}  length: {Length}  bits: {Bits}  dropout: {Dropout:P0} at {DropStage}");
        var table = CliTable.Numeric("stage", "clients", "client ms (mean)", "client ms (max)", "server ms", "wall ms", "client bytes");
        foreach (StageReport s in Stages)
        {
            double mean = s.ClientsActive == 0 ? 0 : s.ClientMillisecondsTotal / s.ClientsActive;
            table.Row($"{s.Stage}", $"{s.ClientsActive}", $"{mean:F2}", $"{s.ClientMillisecondsMax:F2}", $"{s.ServerMilliseconds:F1}", $"{s.WallMilliseconds:F1}", $"{s.ClientBytesSent:N0}");
        }
        console.Write(table);
        o.WriteLine($"client: {ClientMsMean:F1} ms compute per client (mean; median {ClientMsMedian:F1}, p90 {ClientMsP90:F1}, p99 {ClientMsP99:F1}, max {ClientMsMax:F1}), " +
            $"{ClientBytesSentMean:N0} bytes sent per client (mean)");
        o.WriteLine($"server: {ServerMs:F1} ms compute, {ServerBytesSent:N0} bytes sent");
        o.WriteLine($"survivors: {Survivors}  masks removed for clients dropped before R2: {DroppedBeforeMaskedInput}  wall: {WallMs / 1000:F2} s" +
            (PeakRssMb is double mb ? $"  peak resident: {mb:F0} MB" : ""));
        WriteVerdict(o, Dp, Aborted ? AbortReason ?? "" : null, SumMatches);
    }

    // The text output's last lines, both schemes: the DP outcome, the abort and the verdict.
    public static void WriteVerdict(TextWriter o, DpOutcome? dp, string? abortReason, bool sumMatches)
    {
        if (dp is not null)
        {
            o.WriteLine(dp.Describe());
        }
        if (abortReason is not null)
        {
            o.WriteLine($"aborted: {abortReason}");
        }
        o.WriteLine($"sum_matches: {(sumMatches ? "true" : "false")}");
    }
}
