namespace SecureFed.Aggregator.Storage;

/// <summary>
/// The database file failed a start-up check (it cannot be opened as SQLite, or <c>PRAGMA quick_check</c> found
/// damage): the service refuses to start rather than serve from it. The message is one line naming the file and the
/// check.
/// </summary>
public sealed class StoreCheckFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> and the failed <paramref name="check"/>.</summary>
    public StoreCheckFailedException(string path, string check, string finding, Exception? inner = null)
        : base($"the database {path} failed its start-up check ({check}): {OneLine(finding)}; the service will not serve from it (restore a backup or move the file away)", inner)
    {
        Path = path;
        Check = check;
    }

    /// <summary>The database file.</summary>
    public string Path { get; } = "";

    /// <summary>The check that failed: <c>open</c> or <c>PRAGMA quick_check</c>.</summary>
    public string Check { get; } = "";

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
