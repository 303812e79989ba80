using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace SecureFed.Aggregator.Storage;

/// <summary>
/// The start-up check of the store: SQLite's <c>PRAGMA quick_check</c> (every page and b-tree readable and well formed,
/// without the index-to-table cross-check of integrity_check; linear in the file size). Any finding but "ok" refuses
/// the start.
/// </summary>
internal static class StoreIntegrityCheck
{
    public const string Name = "PRAGMA quick_check";

    /// <summary>Runs the check; returns how long it took.</summary>
    /// <exception cref="StoreCheckFailedException">The check reported damage or could not read the file.</exception>
    public static TimeSpan Run(SqliteCommandFactory store, string path)
    {
        long start = Stopwatch.GetTimestamp();
        List<string> findings;
        try
        {
            findings = store.Rows("PRAGMA quick_check(5)", r => r.GetString(0));
        }
        catch (SqliteException e)
        {
            throw new StoreCheckFailedException(path, Name, e.Message, e);
        }
        if (findings is not ["ok"])
        {
            throw new StoreCheckFailedException(path, Name, string.Join("; ", findings));
        }
        return Stopwatch.GetElapsedTime(start);
    }
}
