using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Faults;

/// <summary>
/// Fault matrix, damaged store: a database file cut short, or with one page overwritten by random bytes, stops the
/// service process at start with exit code 1 and one line naming the file and the check that failed; it never answers
/// a request. The undamaged original starts and still holds its round.
/// </summary>
public sealed class StoreDamageTests
{
    [Fact]
    public async Task A_truncated_or_overwritten_database_stops_the_start_with_one_line_naming_the_file_and_the_check()
    {
        using var folder = new TempFolder();
        string db = folder.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        string roundId;
        using (ServiceProcess service = await ServiceProcess.StartAsync(db, url))
        {
            using var admin = new SecureFedAdminClient(url, File.ReadAllText(folder.File("securefed-admin.key")).Trim());
            TestFederation federation = await TestFederation.EnrolAsync(admin, 200);
            roundId = (await federation.OpenRoundAsync(admin, 16, 32)).RoundId;
            service.Kill();
        }
        // Move everything the WAL holds into the main file, so the damage below hits committed data.
        await using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            await c.OpenAsync();
            await using SqliteCommand checkpoint = c.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync();
        }
        byte[] original = await File.ReadAllBytesAsync(db);
        int pageSize = original[16] << 8 | original[17];
        Assert.True(original.Length / pageSize >= 8, $"the store has only {original.Length / pageSize} pages");

        var damages = new Dictionary<string, Func<byte[], byte[]>>
        {
            ["truncated"] = bytes => bytes[..(bytes.Length / 2)],
            ["page overwritten"] = bytes =>
            {
                byte[] copy = (byte[])bytes.Clone();
                RandomNumberGenerator.Fill(copy.AsSpan(bytes.Length / pageSize / 2 * pageSize, pageSize));
                return copy;
            },
            ["header overwritten"] = bytes =>
            {
                byte[] copy = (byte[])bytes.Clone();
                RandomNumberGenerator.Fill(copy.AsSpan(0, 100));
                return copy;
            },
        };
        foreach (var (name, damage) in damages)
        {
            using var damaged = new TempFolder();
            string file = damaged.File("securefed.db");
            await File.WriteAllBytesAsync(file, damage(original));
            var (exitCode, output, answered) = await ServiceProcess.RunUntilExitAsync(file, new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}"), TimeSpan.FromSeconds(60));
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(exitCode == 1, $"{name}: exit code {exitCode}:\n{output}");
            Assert.False(answered, $"{name}: the service answered /healthz");
            string line = Assert.Single(lines);
            Assert.Contains(file, line, StringComparison.Ordinal);
            Assert.True(line.Contains("(PRAGMA quick_check)", StringComparison.Ordinal) || line.Contains("(open)", StringComparison.Ordinal), $"{name}: {line}");
        }

        // The undamaged store passes the check and still holds the round.
        using (ServiceProcess service = await ServiceProcess.StartAsync(db, url))
        {
            using var admin = new SecureFedAdminClient(url, File.ReadAllText(folder.File("securefed-admin.key")).Trim());
            Assert.Equal("running", (await admin.GetRoundAsync(roundId, includeSums: false)).Status);
        }
    }
}
