using System.Text.Json.Serialization;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The outcome of `securefed swarm soak` (JSON with snake_case names): every round, the memory check (after the last
/// round against after the reference round, round 5 or the last if fewer: the working set, and when a full collection
/// was induced the working set and the managed heap after it) and the submission latency per stage.
/// </summary>
internal sealed record SwarmSoakReport(
    string Server,
    int Clients,
    int Length,
    int Bits,
    int Rounds,
    IReadOnlyList<SwarmSoakRound> PerRound,
    int LostTotal,
    bool AllExact,
    int ReferenceRound,
    double? ReferenceWorkingSetMb,
    double? LastWorkingSetMb,
    double? MemoryGrowth,
    [property: JsonPropertyName("reference_working_set_after_full_gc_mb")] double? ReferenceFullGcWorkingSetMb,
    [property: JsonPropertyName("last_working_set_after_full_gc_mb")] double? LastFullGcWorkingSetMb,
    [property: JsonPropertyName("working_set_after_full_gc_growth")] double? FullGcWorkingSetGrowth,
    [property: JsonPropertyName("reference_heap_after_full_gc_mb")] double? ReferenceFullGcHeapMb,
    [property: JsonPropertyName("last_heap_after_full_gc_mb")] double? LastFullGcHeapMb,
    [property: JsonPropertyName("heap_after_full_gc_growth")] double? FullGcHeapGrowth,
    string BoundAppliesTo,
    bool MemoryWithinBound,
    [property: JsonPropertyName("working_set_slope_mb_per_round")] double? WorkingSetSlopeMbPerRound,
    [property: JsonPropertyName("working_set_after_full_gc_slope_mb_per_round")] double? FullGcWorkingSetSlopeMbPerRound,
    [property: JsonPropertyName("heap_after_full_gc_slope_mb_per_round")] double? FullGcHeapSlopeMbPerRound,
    [property: JsonPropertyName("submit_latency_ms")] IReadOnlyList<SwarmStageLatency> SubmitLatencyMs,
    [property: JsonPropertyName("wall_s")] double WallSeconds)
{
    /// <summary>The bound on the growth named by <see cref="BoundAppliesTo"/> (issue 20: within 10% of after round 5).</summary>
    public const double MaxGrowth = 0.10;

    /// <summary>Every sum exact, nothing lost, memory within the bound.</summary>
    public bool Passed => AllExact && LostTotal == 0 && MemoryWithinBound;
}

/// <summary>One soak round: its verdict, what it lost, its time and the server's memory after it.</summary>
internal sealed record SwarmSoakRound(
    int Round,
    string RoundId,
    string Status,
    bool SumMatches,
    int Survivors,
    int Lost,
    int ClientsFailed,
    [property: JsonPropertyName("wall_s")] double WallSeconds,
    double? WorkingSetMb,
    double? GcHeapMb,
    double? GcCommittedMb,
    [property: JsonPropertyName("working_set_after_full_gc_mb")] double? FullGcWorkingSetMb,
    [property: JsonPropertyName("heap_after_full_gc_mb")] double? FullGcHeapMb,
    string? FirstError);

/// <summary>Submission latency of one stage over every round: how many 2xx submissions, their median and 99th percentile.</summary>
internal sealed record SwarmStageLatency(string Stage, int Count, double P50, double P99);
