namespace SecureFed.Aggregator.Storage;

/// <summary>How a round ended, as stored: a result (little-endian words) or an abort reason.</summary>
internal sealed record RoundOutcome(string Status, int? AbortReason, string? AbortDetail, byte[]? Result, byte[]? Survivors, byte[]? Dropped);
