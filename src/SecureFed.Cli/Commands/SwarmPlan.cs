namespace SecureFed.Cli.Commands;

/// <summary>What every swarm run does: devices, vector shape, stage deadline (and per-stage ones when given), the input seed and, for a DP round, its epsilon, and the quiet close rule when given.</summary>
internal sealed record SwarmPlan(int Clients, int Length, int Bits, double DeadlineSeconds, double[]? StageDeadlinesSeconds, long Seed, double? DpEpsilon = null,
    QuietCloseChoice? QuietClose = null);
