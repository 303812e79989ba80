namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>What an adversary case must leave unchanged: the attacked round's phase, stage and received count, the
/// side round's received count, and every row of the service's round log.</summary>
public sealed record RoundSnapshot(string Status, int? Stage, int Received, int SideReceived, long LogRows);
