namespace SecureFed.Cli.Commands;

/// <summary>What a swarm run does: devices, vector shape, how many drop out, deadlines and the input seed.</summary>
internal sealed record SwarmPlan(int Clients, int Length, int Bits, int Dropouts, int? Threshold, double DeadlineSeconds, long Seed);
