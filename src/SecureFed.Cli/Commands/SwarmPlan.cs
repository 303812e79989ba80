namespace SecureFed.Cli.Commands;

/// <summary>What every swarm run does: devices, vector shape, stage deadline (and per-stage ones when given) and the input seed.</summary>
internal sealed record SwarmPlan(int Clients, int Length, int Bits, double DeadlineSeconds, double[]? StageDeadlinesSeconds, long Seed);
