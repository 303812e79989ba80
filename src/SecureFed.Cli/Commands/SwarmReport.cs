using System.Text.Json.Serialization;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The outcome of a swarm run, either scheme (JSON with snake_case names). <see cref="Lost"/> counts devices that
/// did not plan to drop out yet are not among the result's contributors; <see cref="ServerPeakMb"/> is the service's
/// own peak resident memory (VmHWM) as its round status reports it after the round. A DP round (--dp-epsilon) adds
/// the round's charged epsilon, the ledger's charges for the round and whether there is exactly one equal to it; its
/// <see cref="SumMatches"/> means the noisy average is within the noise of the true one.
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
    string? FirstError,
    [property: JsonPropertyName("dp_round_epsilon")] double? DpRoundEpsilon = null,
    int? LedgerCharges = null,
    bool? LedgerMatches = null);
