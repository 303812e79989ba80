namespace SecureFed.Cli.Commands;

/// <summary>The outcome of an HE swarm run: the masking swarm's fields plus the decryptors and attempts (snake_case JSON).</summary>
internal sealed record SwarmHeReport(
    string Server,
    string Scheme,
    string RoundId,
    int Clients,
    int Decryptors,
    int Length,
    int Bits,
    int Threshold,
    string Status,
    int Survivors,
    int Dropped,
    int Attempts,
    int ClientsCompleted,
    int ClientsFailed,
    double EnrolSeconds,
    double WallSeconds,
    double[] StageSeconds,
    bool SumMatches,
    string? FirstError) : ISwarmOutcome;
