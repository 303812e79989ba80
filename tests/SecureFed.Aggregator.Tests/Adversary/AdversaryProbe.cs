using System.Net;
using Microsoft.Data.Sqlite;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Adversary;

/// <summary>
/// Sends adversary cases to a live service and records each answer with the round's state before and after it; also
/// the waits both scheme drivers share (an admin status condition, the honest devices' runs).
/// </summary>
public sealed class AdversaryProbe(LiveAggregator service, SecureFedAdminClient admin, HttpClient http)
{
    public HttpClient Http => http;

    public SecureFedAdminClient Admin => admin;

    public LiveAggregator Service => service;

    /// <summary>Runs every case of <paramref name="point"/> in catalogue order; a case whose request cannot even be built
    /// is recorded as status 0 with the exception, so only that case fails.</summary>
    public async Task RunAsync<TContext>(IEnumerable<AdversaryCase<TContext>> cases, AttackPoint point, TContext context, string roundId,
        string? sideRoundId, IDictionary<string, AdversaryOutcome> outcomes)
    {
        foreach (AdversaryCase<TContext> c in cases.Where(c => c.At == point))
        {
            RoundSnapshot before = await SnapshotAsync(roundId, sideRoundId);
            try
            {
                using HttpRequestMessage request = c.Build(context);
                using HttpResponseMessage response = await http.SendAsync(request);
                string body = await response.Content.ReadAsStringAsync();
                string? code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                    ? await RawClient.ProblemCodeAsync(response) : null;
                outcomes[c.Id] = new AdversaryOutcome(response.StatusCode, code, body, before, await SnapshotAsync(roundId, sideRoundId));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                outcomes[c.Id] = new AdversaryOutcome(0, null, e.ToString(), before, before);
            }
        }
    }

    public async Task<RoundSnapshot> SnapshotAsync(string roundId, string? sideRoundId)
    {
        RoundStatus s = await admin.GetRoundAsync(roundId, includeSums: false);
        int side = sideRoundId is null ? 0 : (await admin.GetRoundAsync(sideRoundId, includeSums: false)).Received;
        await using var db = new SqliteConnection($"Data Source={service.DatabasePath};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using SqliteCommand c = db.CreateCommand();
        c.CommandText = "SELECT COUNT(*) FROM round_log";
        return new RoundSnapshot(s.Status, s.Stage, s.Received, side, (long)(await c.ExecuteScalarAsync())!);
    }

    /// <summary>Waits until the round is in <paramref name="stage"/> with at least <paramref name="received"/> messages.</summary>
    public async Task WaitForStageAsync(string roundId, int stage, int received)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        RoundStatus s;
        do
        {
            s = await admin.GetRoundAsync(roundId, includeSums: false);
            if (s.Stage == stage && s.Received >= received)
            {
                // The count moves when the server accepts a message, its log row a moment later (before the 200):
                // wait until two snapshots 100 ms apart agree, so every honest message of the stage is durable.
                RoundSnapshot a = await SnapshotAsync(roundId, null);
                while (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                    RoundSnapshot b = await SnapshotAsync(roundId, null);
                    if (b == a)
                    {
                        return;
                    }
                    a = b;
                }
                return;
            }
            await Task.Delay(25);
        }
        while (DateTime.UtcNow < deadline && s.Status == "running");
        throw new TimeoutException($"round {roundId} did not reach stage {stage} with {received} messages: {s.Status}, stage {s.Stage}, {s.Received} received");
    }

    /// <summary>Long-polls <paramref name="path"/> as <paramref name="raw"/> until it answers 200.</summary>
    public async Task<byte[]> PollAsync(RawClient raw, string path)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            using HttpResponseMessage r = await http.SendAsync(raw.Signed(HttpMethod.Get, path + "?wait=5", null));
            if (r.StatusCode == HttpStatusCode.OK)
            {
                return await r.Content.ReadAsByteArrayAsync();
            }
            if (r.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"poll {path}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            }
        }
        throw new TimeoutException($"poll {path} got nothing in 90 s");
    }

    /// <summary>Sends the attacker's own honest envelope; returns an unsent copy of the accepted request (for replays).</summary>
    public async Task<HttpRequestMessage> SendOwnAsync(RawClient raw, string path, byte[] body)
    {
        HttpRequestMessage request = raw.Signed(HttpMethod.Post, path, body);
        HttpRequestMessage copy = await RawClient.CloneAsync(request);
        using HttpResponseMessage r = await http.SendAsync(request);
        if (r.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the attacker's own honest message was refused: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }
        request.Dispose();
        return copy;
    }

    /// <summary>Runs honest devices <paramref name="indices"/> through the real client library; a device for which
    /// <paramref name="stopWhen"/> is true on a progress event cancels itself there, as one going offline would.</summary>
    public static Task<ContributionResult>[] RunHonest(SecureFedClientOptions options, SeedKeyStore[] keys, IEnumerable<int> indices,
        Func<int, SecureFedClient, CancellationToken, Task<ContributionResult>> contribute, Func<int, ContributionProgressEventArgs, bool>? stopWhen = null) =>
        [.. indices.Select(index => Task.Run(async () =>
        {
            using var client = new SecureFedClient(options, keys[index]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            client.Progress += (_, e) =>
            {
                if (stopWhen?.Invoke(index, e) == true)
                {
                    cts.Cancel();
                }
            };
            return await contribute(index, client, cts.Token);
        }))];
}
