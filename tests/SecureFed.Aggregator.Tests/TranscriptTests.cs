using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Client;
using SecureFed.Protocol.Messages;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// Service transcripts (protocol-spec/transcript.md, "Service transcripts"): a real service on 127.0.0.1 with
/// transcripts enabled runs a round, the operator downloads the transcript and the independent verifier (the library
/// behind `audit verify`) re-derives the round from it.
/// </summary>
public sealed class TranscriptTests
{
    private const string Enabled = "--Aggregator:TranscriptsEnabled=true";

    // Every check that applies without the auditor's key file; uniformity tests may skip at this size, DP skips.
    private static readonly string[] MustPass =
    [
        "transcript.format", "transcript.chain", "transcript.signatures", "round.configuration", "protocol.envelopes",
        "protocol.stage-order", "protocol.key-directory", "protocol.share-delivery", "protocol.survivor-set",
        "protocol.unmasking-request", "protocol.threshold", "protocol.no-double-reveal", "protocol.result-sets", "result.unmasking",
    ];

    [Fact]
    public async Task A_round_with_a_dropout_yields_a_transcript_the_verifier_accepts_and_a_flipped_byte_fails()
    {
        const int clients = 8, length = 16, bits = 24, dropped = 3;
        await using LiveAggregator service = await LiveAggregator.StartAsync(Enabled);
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await federation.OpenRoundAsync(admin, length, bits, deadlineSeconds: 3);
        using var http = AdminHttp(service.Url, service.AdminKey);

        // Device 3 goes offline before sending its masked input: it is in U2 but not U3, so the verifier must
        // rebuild its mask key from the survivors' shares to check the sum.
        await federation.RunAsync(service.ClientOptions(), opened.RoundId, length, bits, new Dictionary<int, int> { [dropped] = 2 });
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal([federation.ClientIds[dropped]], done.Dropped);

        byte[] publicKey = await PublishedKeyAsync(http);
        (byte[] transcript, string headerKey) = await DownloadAsync(http, opened.RoundId);
        Assert.Equal(Convert.ToHexStringLower(publicKey), headerKey);

        AuditVerification verification = TranscriptVerifier.Verify(transcript, keys: null, expectedAggregatorKey: publicKey);
        AssertVerified(verification);

        // Any changed byte breaks a signature (or the framing); a different pinned key rejects every signature.
        byte[] flipped = (byte[])transcript.Clone();
        flipped[flipped.Length / 2] ^= 0x01;
        AuditVerification tampered = TranscriptVerifier.Verify(flipped, keys: null, expectedAggregatorKey: publicKey);
        Assert.False(tampered.Passed);
        Assert.Contains(tampered.Checks, c => c.Id is "transcript.signatures" or "transcript.format" && c.Status == AuditCheckStatus.Failed);
        byte[] otherKey = (byte[])publicKey.Clone();
        otherKey[0] ^= 0x80;
        Assert.Equal(AuditCheckStatus.Failed, TranscriptVerifier.Verify(transcript, null, otherKey).Checks.Single(c => c.Id == "transcript.signatures").Status);
    }

    [Fact]
    public async Task A_running_round_has_no_transcript_yet_and_an_aborted_round_records_the_abort()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync(Enabled);
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 4);
        RoundStatus opened = await federation.OpenRoundAsync(admin, 4, 16);
        using var http = AdminHttp(service.Url, service.AdminKey);

        using (HttpResponseMessage running = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}/transcript"))
        {
            Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
            Assert.Equal("round-running", await RawClient.ProblemCodeAsync(running));
        }
        await admin.AbortRoundAsync(opened.RoundId);
        (byte[] transcript, _) = await DownloadAsync(http, opened.RoundId);
        AuditVerification v = TranscriptVerifier.Verify(transcript, null, await PublishedKeyAsync(http));
        Assert.True(v.Passed, Describe(v));
        Assert.Equal(AuditCheckStatus.Passed, v.Checks.Single(c => c.Id == "transcript.signatures").Status);
        IReadOnlyList<TranscriptRecord> records = TranscriptReader.Read(transcript);
        TranscriptResult result = MessageCodec.Decode<TranscriptResult>(records[^2].Payload, records[^2].Payload.Length);
        Assert.False(result.Completed);
        Assert.Equal((int)AbortReason.ServerAborted, result.AbortReason);
        Assert.Equal("aborted by the operator", result.AbortDetail);
        // The notice went to the 4 clients stage 0 still expected, each recorded once.
        var notices = records.Where(r => r.Kind == TranscriptRecordKind.ServerToClient).ToList();
        Assert.Equal(federation.ClientIds, notices.Select(r => r.Body.Party));
        Assert.All(notices, r => Assert.IsType<RoundAbortNotice>(MessageCodec.DecodeServerMessage(r.Payload, r.Payload.Length)));
    }

    [Fact]
    public async Task Without_the_option_no_transcript_is_kept_and_the_key_endpoint_says_so()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        RoundStatus opened = await federation.OpenRoundAsync(admin, 4, 16);
        await admin.AbortRoundAsync(opened.RoundId);
        using var http = AdminHttp(service.Url, service.AdminKey);

        using HttpResponseMessage download = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}/transcript");
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal("no-transcript", await RawClient.ProblemCodeAsync(download));
        using HttpResponseMessage key = await http.GetAsync("/admin/v1/transcript-key");
        Assert.Equal("transcripts-disabled", await RawClient.ProblemCodeAsync(key));
        Assert.False(File.Exists(service.Folder.File("securefed-aggregator.key")));
    }

    [Fact]
    public void A_malformed_signing_key_file_stops_the_start_and_names_the_file()
    {
        using var folder = new TempFolder();
        string keyFile = folder.File("securefed-aggregator.key");
        File.WriteAllText(keyFile, new string('a', 63) + "\n"); // one hex digit short of a 32-byte seed
        var e = Assert.Throws<InvalidOperationException>(() => AggregatorApplication.Build(
            ["--urls", "http://127.0.0.1:0", $"--Aggregator:DatabasePath={folder.File("a.db")}", Enabled]));
        Assert.Contains(keyFile, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 63), e.Message, StringComparison.Ordinal);
    }

    // The service is killed with SIGKILL during R2 and restarted on its database: the transcript of the finished
    // round still holds every message (stored in the same transaction as the state) and verifies, with the same key.
    [Fact]
    public async Task A_transcript_survives_a_kill_and_restart_mid_round()
    {
        const int clients = 6, length = 8, bits = 32;
        using var folder = new TempFolder();
        string db = folder.File("securefed.db");
        var url = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        ServiceProcess process = await ServiceProcess.StartAsync(db, url, Enabled);
        try
        {
            string adminKey = File.ReadAllText(folder.File("securefed-admin.key")).Trim();
            using var admin = new SecureFedAdminClient(url, adminKey);
            using var http = AdminHttp(url, adminKey);
            byte[] keyBefore = await PublishedKeyAsync(http);
            TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
            RoundStatus round = await federation.OpenRoundAsync(admin, length, bits, deadlineSeconds: 120);
            var sentR2 = new ConcurrentDictionary<int, bool>();
            var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            SecureFedClientOptions options = new()
            {
                ServerUrl = url,
                PollWait = TimeSpan.FromSeconds(5),
                MaxAttempts = 200,
                RetryBaseDelay = TimeSpan.FromMilliseconds(100),
                MaxRetryDelay = TimeSpan.FromMilliseconds(300),
                RequestTimeout = TimeSpan.FromSeconds(20),
            };
            Task<Task<ContributionResult>[]> run = federation.RunAsync(options, round.RoundId, length, bits, progress: (i, e) =>
            {
                if (e.Step == "sent" && e.Stage == 2 && sentR2.TryAdd(i, true) && sentR2.Count >= clients / 2)
                {
                    halfway.TrySetResult();
                }
            });
            await halfway.Task.WaitAsync(TimeSpan.FromSeconds(60));
            process.Kill();
            process.Dispose();
            process = await ServiceProcess.StartAsync(db, url); // the option is off now: the round still keeps its transcript

            Task<ContributionResult>[] results = await run.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.All(results, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString() + process.Log));
            RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(100)).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("completed", done.Status);

            (byte[] transcript, _) = await DownloadAsync(http, round.RoundId);
            AssertVerified(TranscriptVerifier.Verify(transcript, null, keyBefore));
        }
        finally
        {
            process.Dispose();
        }
    }

    private static void AssertVerified(AuditVerification v)
    {
        Assert.True(v.Passed, Describe(v));
        foreach (string id in MustPass)
        {
            Assert.True(v.Checks.Single(c => c.Id == id).Status == AuditCheckStatus.Passed, $"{id} did not pass:\n{Describe(v)}");
        }
    }

    private static string Describe(AuditVerification v)
    {
        using var text = new StringWriter();
        v.WriteText(text);
        return text.ToString();
    }

    private static HttpClient AdminHttp(Uri url, string adminKey)
    {
        var http = new HttpClient { BaseAddress = url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return http;
    }

    private static async Task<byte[]> PublishedKeyAsync(HttpClient http)
    {
        using HttpResponseMessage r = await http.GetAsync("/admin/v1/transcript-key");
        r.EnsureSuccessStatusCode();
        using JsonDocument doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return Convert.FromHexString(doc.RootElement.GetProperty("publicKey").GetString()!);
    }

    private static async Task<(byte[] File, string HeaderKey)> DownloadAsync(HttpClient http, string roundId)
    {
        using HttpResponseMessage r = await http.GetAsync($"/admin/v1/rounds/{roundId}/transcript");
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        return (await r.Content.ReadAsByteArrayAsync(), r.Headers.GetValues("X-SecureFed-Aggregator-Key").Single());
    }
}
