namespace SecureFed.Aggregator.Diagnostics;

/// <summary>
/// Every structured log event of the aggregator, source-generated (<see cref="LoggerMessageAttribute"/>) with the ids of
/// <see cref="AggregatorEventIds"/>. Arguments are identifiers, counts and names only: never keys, seeds, shares or vectors.
/// </summary>
internal static partial class AggregatorLog
{
    [LoggerMessage(EventId = AggregatorEventIds.RoundOpened, EventName = nameof(AggregatorEventIds.RoundOpened), Level = LogLevel.Information,
        Message = "round {RoundId} ({Scheme}) opened in federation {Federation}: {Clients} clients, threshold {Threshold}")]
    public static partial void RoundOpened(this ILogger logger, string roundId, string scheme, string federation, int clients, int threshold);

    [LoggerMessage(EventId = AggregatorEventIds.RoundResumed, EventName = nameof(AggregatorEventIds.RoundResumed), Level = LogLevel.Information,
        Message = "round {RoundId} resumed from its log in stage {Stage}")]
    public static partial void RoundResumed(this ILogger logger, string roundId, string stage);

    [LoggerMessage(EventId = AggregatorEventIds.StageClosed, EventName = nameof(AggregatorEventIds.StageClosed), Level = LogLevel.Information,
        Message = "round {RoundId} stage {Stage} closed ({Cause}): {Received}/{Expected} messages; round {Status}")]
    public static partial void StageClosed(this ILogger logger, string roundId, string stage, int received, int expected, string cause, string status);

    [LoggerMessage(EventId = AggregatorEventIds.RoundCompleted, EventName = nameof(AggregatorEventIds.RoundCompleted), Level = LogLevel.Information,
        Message = "round {RoundId} completed")]
    public static partial void RoundCompleted(this ILogger logger, string roundId);

    [LoggerMessage(EventId = AggregatorEventIds.RoundAborted, EventName = nameof(AggregatorEventIds.RoundAborted), Level = LogLevel.Warning,
        Message = "round {RoundId} aborted: {Reason}: {Detail}")]
    public static partial void RoundAborted(this ILogger logger, string roundId, string reason, string detail);

    [LoggerMessage(EventId = AggregatorEventIds.MessageRefused, EventName = nameof(AggregatorEventIds.MessageRefused), Level = LogLevel.Information,
        Message = "round {RoundId}: a message from client {ClientId} was refused ({Reason})")]
    public static partial void MessageRefused(this ILogger logger, string roundId, uint clientId, string reason);

    [LoggerMessage(EventId = AggregatorEventIds.RequestRefused, EventName = nameof(AggregatorEventIds.RequestRefused),
        Message = "{Method} {Path} refused: {Status} {Code}")]
    public static partial void RequestRefused(this ILogger logger, LogLevel level, string method, string path, int status, string code);

    [LoggerMessage(EventId = AggregatorEventIds.RateLimited, EventName = nameof(AggregatorEventIds.RateLimited), Level = LogLevel.Information,
        Message = "{Method} {Path} refused: 429 rate-limited")]
    public static partial void RateLimited(this ILogger logger, string method, string path);

    [LoggerMessage(EventId = AggregatorEventIds.UnexpectedFailure, EventName = nameof(AggregatorEventIds.UnexpectedFailure), Level = LogLevel.Error,
        Message = "{Method} {Path} failed unexpectedly ({ExceptionType}); answered 500 internal-error")]
    public static partial void UnexpectedFailure(this ILogger logger, string method, string path, string exceptionType);

    [LoggerMessage(EventId = AggregatorEventIds.StorageFailure, EventName = nameof(AggregatorEventIds.StorageFailure), Level = LogLevel.Error,
        Message = "round {RoundId}: storage failure; the round was rebuilt from the database")]
    public static partial void StorageFailure(this ILogger logger, Exception e, string roundId);

    [LoggerMessage(EventId = AggregatorEventIds.DeadlineCheckFailure, EventName = nameof(AggregatorEventIds.DeadlineCheckFailure), Level = LogLevel.Error,
        Message = "closing due stages failed")]
    public static partial void DeadlineCheckFailure(this ILogger logger, Exception e);

    [LoggerMessage(EventId = AggregatorEventIds.RequestNotStored, EventName = nameof(AggregatorEventIds.RequestNotStored), Level = LogLevel.Error,
        Message = "{Method} {Path} could not be stored (SQLite error {SqliteError}); answered 503 storage-unavailable")]
    public static partial void RequestNotStored(this ILogger logger, string method, string path, int sqliteError);
}
