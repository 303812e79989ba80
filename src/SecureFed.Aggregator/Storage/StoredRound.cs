namespace SecureFed.Aggregator.Storage;

/// <summary>A row of the rounds table: everything needed to rebuild a round's runtime at start-up.</summary>
internal sealed record StoredRound(
    byte[] RoundId,
    string Federation,
    byte[] Configuration,
    long[] DeadlinesMs,
    int MinClients,
    long StageOpenedAtMs,
    string Status,
    int? AbortReason,
    string? AbortDetail,
    byte[]? Result,
    byte[]? Survivors,
    byte[]? Dropped);
