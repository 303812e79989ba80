using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// The service runs DP rounds in its own process and is killed with SIGKILL around their completion: while the last
/// stage's messages arrive, and right after the last one was acknowledged (the round completed and was charged). At
/// every kill the database file itself is inspected: a completed DP round always has exactly its one ledger charge and
/// a charge always has its completed round. After a restart every round completes, every device gets the average, and
/// the ledger replays with one charge per round.
/// </summary>
public sealed class LedgerKillTests
{
    [Fact]
    public async Task A_service_killed_around_dp_round_completion_never_has_a_completed_round_without_its_ledger_charge()
    {
        const int clients = 5, length = 32;
        using var folder = new TempFolder();
        string db = folder.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        ServiceProcess service = await ServiceProcess.StartAsync(db, url);
        try
        {
            string adminKey = File.ReadAllText(folder.File("securefed-admin.key")).Trim();
            using var admin = new SecureFedAdminClient(url, adminKey);
            TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
            await admin.SetPrivacyBudgetAsync(federation.Name, 100, 1e-5);
            var options = new SecureFedClientOptions
            {
                ServerUrl = url,
                PollWait = TimeSpan.FromSeconds(5),
                MaxAttempts = 200,
                RetryBaseDelay = TimeSpan.FromMilliseconds(100),
                MaxRetryDelay = TimeSpan.FromMilliseconds(300),
                RequestTimeout = TimeSpan.FromSeconds(20),
            };
            var roundIds = new List<string>();
            // Kill when half of the unmasking shares were acknowledged (the round is still open), then when all were
            // (the last acknowledgement comes after the completing transaction committed).
            foreach (int killAfter in new[] { clients / 2, clients })
            {
                RoundStatus round = await admin.OpenRoundAsync(new OpenRoundRequest
                {
                    Federation = federation.Name,
                    StageDeadlineSeconds = 120,
                    Float = new FloatEncodingRequest { Length = length, ClipNorm = 1 },
                    Dp = new DpRoundRequest { NoiseMultiplier = 1 },
                });
                roundIds.Add(round.RoundId);
                var sentR4 = new ConcurrentDictionary<int, bool>();
                var trigger = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Task<FloatContributionResult>[] run = [.. Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
                {
                    using var client = new SecureFedClient(options, federation.Keys[i]);
                    client.Progress += (_, e) =>
                    {
                        if (e.Step == "sent" && e.Stage == 4 && sentR4.TryAdd(i, true) && sentR4.Count >= killAfter)
                        {
                            trigger.TrySetResult();
                        }
                    };
                    return await client.ContributeAsync(round.RoundId, FloatDevices.Update(i, length, 0.5));
                }))];

                await trigger.Task.WaitAsync(TimeSpan.FromSeconds(90));
                service.Kill();
                AssertChargedExactlyWithCompletion(db);
                service.Dispose();
                service = await ServiceProcess.StartAsync(db, url);

                FloatContributionResult[] results = await Task.WhenAll(run).WaitAsync(TimeSpan.FromSeconds(120));
                Assert.All(results, r => Assert.Equal(results[0].Average, r.Average));
                Assert.Equal(clients, results[0].Survivors.Count);
                AssertChargedExactlyWithCompletion(db);
            }

            PrivacyLedgerView ledger = await admin.GetPrivacyLedgerAsync(federation.Name);
            Assert.Equal(roundIds, ledger.Entries.Where(e => e.Kind == "round-charged").Select(e => e.RoundId));
            Assert.All(ledger.Entries.Skip(1), e => Assert.Equal(clients, e.Survivors));
        }
        finally
        {
            service.Dispose();
        }
    }

    // The committed database: DP rounds with an outcome that is a result are exactly the rounds charged, once each.
    private static void AssertChargedExactlyWithCompletion(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand c = connection.CreateCommand();
        c.CommandText = """
            SELECT r.round_id, r.outcome IS NOT NULL, (SELECT COUNT(*) FROM privacy_ledger l WHERE l.round_id = r.round_id)
            FROM rounds r JOIN round_encodings e ON e.round_id = r.round_id WHERE e.dp IS NOT NULL
            """;
        using SqliteDataReader r = c.ExecuteReader();
        int rounds = 0;
        while (r.Read())
        {
            rounds++;
            bool finished = r.GetBoolean(1);
            long charges = r.GetInt64(2);
            Assert.True(finished ? charges == 1 : charges == 0, $"round {Convert.ToHexString((byte[])r[0])}: finished {finished}, {charges} charge(s)");
        }
        Assert.True(rounds > 0);
    }
}
