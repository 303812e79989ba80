namespace SecureFed.Cli.Commands;

/// <summary>The outcome of a swarm run (printed as JSON with snake_case names).</summary>
internal sealed record SwarmReport(
    string Server,
    string RoundId,
    int Clients,
    int Length,
    int Bits,
    int Threshold,
    string Status,
    int Survivors,
    int Dropped,
    int ClientsCompleted,
    int ClientsFailed,
    double EnrolSeconds,
    double WallSeconds,
    double[] StageSeconds,
    bool SumMatches,
    string? FirstError) : ISwarmOutcome;
