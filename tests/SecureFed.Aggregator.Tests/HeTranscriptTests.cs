using System.Net.Http.Headers;
using System.Text.Json;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;
using SecureFed.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Server;
using SecureFed.Protocol.Messages;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// HE service transcripts: a service with transcripts enabled runs an HE round with a decryption retry, the operator
/// downloads the transcript (written by TranscriptWriter) and the independent verifier accepts it; replaying the
/// recorded server log gives the published result.
/// </summary>
public sealed class HeTranscriptTests
{
    [Fact]
    public async Task An_HE_round_with_a_retry_yields_a_transcript_that_replays_to_its_result_and_verifies()
    {
        const int clients = 6, length = 8;
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:TranscriptsEnabled=true");
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 3, threshold: 2, length, deadlinesSeconds: [30, 30, 30, 6]);
        using var http = new HttpClient { BaseAddress = service.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.AdminKey);

        await HeTestRound.RunAsync(service.ClientOptions(), federation, opened.RoundId, length, stopWhen: (i, e) => i == 0 && e.Step == "decryption-request");
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal(2, done.Attempts);
        // Decryptor 1 was silent and the retry used the only other set: nothing was left to check the sum with.
        Assert.Equal("unverified", done.DecryptionCheck);

        using HttpResponseMessage download = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}/transcript");
        Assert.True(download.IsSuccessStatusCode, await download.Content.ReadAsStringAsync());
        byte[] transcript = await download.Content.ReadAsByteArrayAsync();
        byte[] key = Convert.FromHexString(download.Headers.GetValues("X-SecureFed-Aggregator-Key").Single());

        IReadOnlyList<TranscriptRecord> records = TranscriptReader.Read(transcript);
        TranscriptHeader header = MessageCodec.Decode<TranscriptHeader>(records[0].Payload, records[0].Payload.Length);
        Assert.Equal(TranscriptHeader.HeScheme, header.Scheme);
        var parameters = HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(header.Configuration, header.Configuration.Length));
        // Four stage closes: H0, H1, H2 and the H3 close that started the retry, then the final H3 close.
        Assert.Equal(5, records.Count(r => r.Kind == TranscriptRecordKind.StageClosed));
        HeServerState replayed = HeServer.Replay(parameters, records
            .Where(r => r.Kind is TranscriptRecordKind.ClientToServer or TranscriptRecordKind.StageClosed)
            .Select(r => r.Kind == TranscriptRecordKind.StageClosed ? HeServerLogEntry.Close : HeServerLogEntry.Message(r.Payload)));
        var completed = Assert.IsType<HeServerCompletedState>(replayed);
        Assert.Equal(done.Sums![0], completed.Result.Sum);
        Assert.Equal(HeTestRound.ExpectedSum(Enumerable.Range(0, clients), length), completed.Result.Sum);
        HeTranscriptResult result = MessageCodec.Decode<HeTranscriptResult>(records[^2].Payload, records[^2].Payload.Length);
        Assert.True(result.Completed);
        Assert.Equal(completed.Result.Sum, result.DecodeSum());
        Assert.Equal(2, result.Attempts);

        AuditVerification verification = TranscriptVerifier.Verify(transcript, keys: null, expectedAggregatorKey: key);
        using var text = new StringWriter();
        verification.WriteText(text);
        Assert.True(verification.Passed, text.ToString());
        AuditCheck check = verification.Checks.Single(c => c.Id == "he.decryption-check");
        Assert.Equal(AuditCheckStatus.Skipped, check.Status);
        Assert.StartsWith("unverified", check.Reason);
    }

    // Four decryptors, t = 2: the sum of [1,2] is checked by [3,4]. The service's transcript must carry that check
    // (it used to record every hosted sum as unverified, which the verifier's replay then refused).
    [Fact]
    public async Task A_checked_HE_sum_is_recorded_as_checked_in_the_status_and_the_transcript_and_verifies()
    {
        const int clients = 4, length = 8;
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:TranscriptsEnabled=true");
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 4, threshold: 2, length);
        using var http = new HttpClient { BaseAddress = service.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.AdminKey);

        await HeTestRound.RunAsync(service.ClientOptions(), federation, opened.RoundId, length);
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal("second-subset", done.DecryptionCheck);
        Assert.Equal([], done.ExcludedDecryptors);
        using (HttpResponseMessage raw = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}"))
        {
            using JsonDocument json = JsonDocument.Parse(await raw.Content.ReadAsStringAsync());
            Assert.Equal("second-subset", json.RootElement.GetProperty("decryptionCheck").GetString());
        }

        using HttpResponseMessage download = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}/transcript");
        Assert.True(download.IsSuccessStatusCode, await download.Content.ReadAsStringAsync());
        byte[] transcript = await download.Content.ReadAsByteArrayAsync();
        IReadOnlyList<TranscriptRecord> records = TranscriptReader.Read(transcript);
        HeTranscriptResult result = MessageCodec.Decode<HeTranscriptResult>(records[^2].Payload, records[^2].Payload.Length);
        Assert.Equal((int)SecureFed.HeProtocol.Messages.HeDecryptionCheck.SecondSubset, result.Check);
        AuditVerification verification = TranscriptVerifier.Verify(transcript, keys: null,
            expectedAggregatorKey: Convert.FromHexString(download.Headers.GetValues("X-SecureFed-Aggregator-Key").Single()));
        using var text = new StringWriter();
        verification.WriteText(text);
        Assert.True(verification.Passed, text.ToString());
        Assert.Equal(AuditCheckStatus.Passed, verification.Checks.Single(c => c.Id == "he.decryption-check").Status);
    }

    [Fact]
    public async Task An_aborted_HE_round_has_a_verifiable_transcript_that_records_the_abort()
    {
        const int clients = 4, length = 4;
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:TranscriptsEnabled=true");
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await HeTestRound.OpenAsync(admin, federation, decryptors: 3, threshold: 2, length, deadlinesSeconds: [5, 30, 30, 30]);
        using var http = new HttpClient { BaseAddress = service.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.AdminKey);

        using (HttpResponseMessage running = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}/transcript"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Conflict, running.StatusCode);
            Assert.Equal("round-running", await RawClient.ProblemCodeAsync(running));
        }
        await HeTestRound.RunAsync(service.ClientOptions(), federation, opened.RoundId, length, stopWhen: (i, e) => i is 1 or 2 && e.Step == "configuration");
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("aborted", done.Status);

        using HttpResponseMessage download = await http.GetAsync($"/admin/v1/rounds/{opened.RoundId}/transcript");
        Assert.True(download.IsSuccessStatusCode, await download.Content.ReadAsStringAsync());
        byte[] transcript = await download.Content.ReadAsByteArrayAsync();
        IReadOnlyList<TranscriptRecord> records = TranscriptReader.Read(transcript);
        HeTranscriptResult result = MessageCodec.Decode<HeTranscriptResult>(records[^2].Payload, records[^2].Payload.Length);
        Assert.False(result.Completed);
        Assert.Equal((int)SecureFed.HeProtocol.Messages.HeAbortReason.TooFewDecryptors, result.AbortReason);
        // One advertisement, one close, and the abort notice to each of the 4 roster members.
        Assert.Single(records, r => r.Kind == TranscriptRecordKind.ClientToServer);
        Assert.Single(records, r => r.Kind == TranscriptRecordKind.StageClosed);
        Assert.Equal(federation.ClientIds, records.Where(r => r.Kind == TranscriptRecordKind.ServerToClient).Select(r => r.Body.Party));
        AuditVerification verification = TranscriptVerifier.Verify(transcript, keys: null,
            expectedAggregatorKey: Convert.FromHexString(download.Headers.GetValues("X-SecureFed-Aggregator-Key").Single()));
        using var text = new StringWriter();
        verification.WriteText(text);
        Assert.True(verification.Passed, text.ToString());
    }
}
