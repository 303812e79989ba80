namespace SecureFed.Aggregator.Diagnostics;

/// <summary>
/// Stable ids of the aggregator's structured log events (category <c>SecureFed.Aggregator.*</c>): a log pipeline can
/// alert on an id without parsing the message text. Ids are never reused for another event. No event carries keys,
/// seeds, shares or vectors.
/// </summary>
public static class AggregatorEventIds
{
    /// <summary>A round was opened (Information).</summary>
    public const int RoundOpened = 1000;

    /// <summary>A running round was rebuilt from its log after a start (Information).</summary>
    public const int RoundResumed = 1001;

    /// <summary>A stage of a round closed, because every expected message arrived, its deadline passed or the quiet close rule fired (Information).</summary>
    public const int StageClosed = 1002;

    /// <summary>A round completed: its sum was published (Information).</summary>
    public const int RoundCompleted = 1003;

    /// <summary>A round aborted, by the protocol (too few clients) or by the operator (Warning).</summary>
    public const int RoundAborted = 1004;

    /// <summary>A client message was refused by the round (wrong stage, bad signature, replay, ...) (Information).</summary>
    public const int MessageRefused = 1100;

    /// <summary>A request was answered with a problem response (4xx/5xx with a problem code) (Debug, 5xx: Warning).</summary>
    public const int RequestRefused = 1101;

    /// <summary>A client exceeded its request rate and was answered 429 rate-limited (Information).</summary>
    public const int RateLimited = 1102;

    /// <summary>A request failed unexpectedly and was answered 500 internal-error (Error).</summary>
    public const int UnexpectedFailure = 1200;

    /// <summary>Storing a round's log failed; the round was rebuilt from what is durable (Error).</summary>
    public const int StorageFailure = 1201;

    /// <summary>The periodic stage-deadline check failed (Error).</summary>
    public const int DeadlineCheckFailure = 1202;

    /// <summary>A request could not be stored (disk full or an I/O error) and was answered 503 storage-unavailable (Error).</summary>
    public const int RequestNotStored = 1203;
}
