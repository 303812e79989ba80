using System.Text.Json.Serialization;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The outcome of `securefed swarm soak` (JSON with snake_case names): every round, the memory check (working set after
/// the last round against after the reference round, round 5 or the last if fewer) and the submission latency per stage.
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
    bool MemoryWithinBound,
    [property: JsonPropertyName("working_set_slope_mb_per_round")] double? WorkingSetSlopeMbPerRound,
    [property: JsonPropertyName("submit_latency_ms")] IReadOnlyList<SwarmStageLatency> SubmitLatencyMs,
    [property: JsonPropertyName("wall_s")] double WallSeconds)
{
    /// <summary>The bound on <see cref="MemoryGrowth"/> (issue 20: within 10% of after round 5).</summary>
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
    string? FirstError);

/// <summary>Submission latency of one stage over every round: how many 2xx submissions, their median and 99th percentile.</summary>
internal sealed record SwarmStageLatency(string Stage, int Count, double P50, double P99);
