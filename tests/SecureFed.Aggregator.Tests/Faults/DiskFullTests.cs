using System.Net;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Faults;

/// <summary>
/// Fault matrix, disk full: the service process keeps its database on a small tmpfs. With a masked input pending, the
/// disk is filled: the input is answered 503 storage-unavailable with Retry-After and is not counted; the service is
/// then killed with SIGKILL, the disk freed and the service restarted: the round still lacks that input (nothing
/// half-written came back), the same input is accepted as new, and the round completes with the exact sum.
/// </summary>
public sealed class DiskFullTests
{
    private const int Length = 100_000, Bits = 32;

    [SkippableFact]
    public async Task A_write_on_a_full_disk_is_answered_503_and_nothing_half_written_is_served_after_a_restart()
    {
        using TmpfsMount? disk = TmpfsMount.TryCreate(24, out string reason);
        Skip.If(disk is null, reason);
        string db = disk.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        ServiceProcess service = await ServiceProcess.StartAsync(db, url);
        try
        {
            using var admin = new SecureFedAdminClient(url, File.ReadAllText(disk.File("securefed-admin.key")).Trim());
            TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
            RoundStatus round = await admin.OpenRoundAsync(new OpenRoundRequest
            {
                Federation = federation.Name, Vectors = [new VectorRequest { Length = Length, Bits = Bits }], Threshold = 2,
                // R3 closes by deadline: device 0 stops after its masked input.
                StageDeadlinesSeconds = [120, 120, 120, 5, 120],
            });
            string messages = $"/v1/rounds/{round.RoundId}/messages";
            using var http = new HttpClient { BaseAddress = url };
            using IdentityKeyPair key = federation.Keys[0].LoadIdentity();
            var raw = new RawClient(http, key);
            RoundParameters parameters;
            using (var reader = new SecureFedClient(new SecureFedClientOptions { ServerUrl = url }, federation.Keys[0]))
            {
                parameters = RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>((await reader.GetRoundAsync(round.RoundId)).Configuration, 1 << 20));
            }

            // Device 0 runs its client by hand up to its masked input; devices 1 and 2 run the library client and retry.
            ClientTransition t = SecAggClient.Start(parameters, federation.ClientIds[0], key, [TestFederation.Input(0, Length, Bits)], SystemRandomSource.Instance);
            await PostAsync(http, raw, messages, MessageCodec.Encode(t.Outgoing!), "accepted");
            var options = new SecureFedClientOptions
            {
                ServerUrl = url, PollWait = TimeSpan.FromSeconds(5), MaxAttempts = 200,
                RetryBaseDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(300), RequestTimeout = TimeSpan.FromSeconds(20),
            };
            Task<ContributionResult>[] honest = [.. new[] { 1, 2 }.Select(i => Task.Run(async () =>
            {
                using var client = new SecureFedClient(options, federation.Keys[i]);
                return await client.ContributeAsync(round.RoundId, TestFederation.Input(i, Length, Bits));
            }))];
            ClientState state = t.Next;
            for (int stage = 0; stage < 2; stage++)
            {
                t = state.HandleBytes(await PollAsync(http, raw, $"{messages}/{stage}"));
                state = t.Next;
                if (stage == 0)
                {
                    await PostAsync(http, raw, messages, MessageCodec.Encode(t.Outgoing!), "accepted");
                }
            }
            byte[] maskedInput = MessageCodec.Encode(t.Outgoing!);
            await WaitAsync(admin, round.RoundId, s => s.Stage == 2 && s.Received == 2);

            string filler = disk.Fill();
            using (HttpResponseMessage full = await http.SendAsync(raw.Signed(HttpMethod.Post, messages, maskedInput)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
                Assert.Equal("storage-unavailable", await RawClient.ProblemCodeAsync(full));
                Assert.Equal("1", full.Headers.RetryAfter?.ToString());
            }
            RoundStatus afterRefusal = await admin.GetRoundAsync(round.RoundId, includeSums: false);
            Assert.Equal((2, 2), (afterRefusal.Stage!.Value, afterRefusal.Received));

            service.Kill();
            File.Delete(filler);
            service.Dispose();
            service = await ServiceProcess.StartAsync(db, url);

            RoundStatus restarted = await admin.GetRoundAsync(round.RoundId, includeSums: false);
            Assert.Equal((2, 2), (restarted.Stage!.Value, restarted.Received));
            await PostAsync(http, raw, messages, maskedInput, "accepted"); // new, not "already-accepted"

            RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100));
            Assert.Equal("completed", done.Status);
            Assert.Equal(TestFederation.ExpectedSum([0, 1, 2], Length, Bits), done.Sums![0]);
            await Task.WhenAll(honest);
        }
        finally
        {
            service.Dispose();
        }
    }

    private static async Task PostAsync(HttpClient http, RawClient raw, string path, byte[] body, string status)
    {
        using HttpResponseMessage r = await http.SendAsync(raw.Signed(HttpMethod.Post, path, body));
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK && text.Contains($"\"{status}\"", StringComparison.Ordinal), $"{(int)r.StatusCode} {text}");
    }

    private static async Task<byte[]> PollAsync(HttpClient http, RawClient raw, string path)
    {
        for (int attempt = 0; attempt < 60; attempt++)
        {
            using HttpResponseMessage r = await http.SendAsync(raw.Signed(HttpMethod.Get, path + "?wait=5", null));
            if (r.StatusCode == HttpStatusCode.OK)
            {
                return await r.Content.ReadAsByteArrayAsync();
            }
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }
        throw new TimeoutException(path);
    }

    private static async Task WaitAsync(SecureFedAdminClient admin, string roundId, Func<RoundStatus, bool> done)
    {
        for (int i = 0; i < 1200; i++)
        {
            if (done(await admin.GetRoundAsync(roundId, includeSums: false)))
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException(roundId);
    }
}
