namespace SecureFed.Protocol.Planning;

/// <summary>No graph and threshold meet the requested security and correctness for these fractions.</summary>
public sealed class InfeasiblePlanException(string message) : Exception(message);
