using System.Text.Json.Serialization;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The outcome of a swarm run, either scheme (JSON with snake_case names). <see cref="Lost"/> counts devices that
/// did not plan to drop out yet are not among the result's contributors; <see cref="ServerPeakMb"/> is the service's
/// own peak resident memory (VmHWM) as its round status reports it after the round.
/// </summary>
internal sealed record SwarmReport(
    string Server,
    string Scheme,
    string RoundId,
    int Clients,
    int Length,
    int Bits,
    string? Graph,
    [property: JsonPropertyName("k")] int? K,
    [property: JsonPropertyName("t")] int T,
    string Status,
    int Survivors,
    int Dropped,
    int Lost,
    int? Attempts,
    int ClientsCompleted,
    int ClientsFailed,
    [property: JsonPropertyName("enrol_s")] double EnrolSeconds,
    [property: JsonPropertyName("wall_s")] double WallSeconds,
    [property: JsonPropertyName("stage_s")] double[] StageSeconds,
    bool SumMatches,
    double? ServerPeakMb,
    string? FirstError);
