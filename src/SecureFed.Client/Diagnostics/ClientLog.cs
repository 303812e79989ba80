using Microsoft.Extensions.Logging;

namespace SecureFed.Client.Diagnostics;

/// <summary>The client's log events, source-generated with stable ids (2000+). Never keys, seeds, shares or vectors.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 2000, EventName = "RetryingRequest", Level = LogLevel.Information,
        Message = "{Method} {Path}: attempt {Attempt} failed ({Failure}); retrying in {Delay}")]
    public static partial void RetryingRequest(this ILogger logger, string method, string path, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(EventId = 2001, EventName = "RequestRefused", Level = LogLevel.Information,
        Message = "{Method} {Path} refused: {Status} {Code}")]
    public static partial void RequestRefused(this ILogger logger, string method, string path, int status, string code);

    [LoggerMessage(EventId = 2002, EventName = "ServerUnreachable", Level = LogLevel.Warning,
        Message = "{Method} {Path}: every attempt failed ({Failure})")]
    public static partial void ServerUnreachable(this ILogger logger, string method, string path, string failure);

    [LoggerMessage(EventId = 2003, EventName = "ContributionStep", Level = LogLevel.Debug,
        Message = "round {RoundId} stage {Stage}: {Step}")]
    public static partial void ContributionStep(this ILogger logger, string roundId, int stage, string step);
}
