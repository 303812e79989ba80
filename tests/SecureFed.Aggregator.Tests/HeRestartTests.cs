using System.Net;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.HeProtocol;
using SecureFed.HeProtocol.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// A service restarted in the middle of H2, driven step by step with the party state machines over raw signed HTTP:
/// the rebuilt round serves the identical close-1 messages, knows the acknowledged upload (a resend is
/// already-accepted), and completes with the exact sum.
/// </summary>
public sealed class HeRestartTests
{
    private const int Clients = 5, Decryptors = 3, Length = 16;

    [Fact]
    public async Task A_restart_during_H2_keeps_acknowledged_uploads_and_serves_the_same_messages()
    {
        LiveAggregator service = await LiveAggregator.StartAsync();
        var ready = new Dictionary<int, HePartyState>();
        try
        {
            SecureFedAdminClient admin = service.Admin();
            TestFederation federation = await TestFederation.EnrolAsync(admin, Clients);
            RoundStatus round = await HeTestRound.OpenAsync(admin, federation, Decryptors, threshold: 2, Length);
            IdentityKeyPair[] keys = [.. federation.Keys.Select(k => k.LoadIdentity())];
            var http = new HttpClient { BaseAddress = service.Url };
            HeRoundParameters p = await ParametersAsync(service, federation, round.RoundId);

            // H0 and H1: every decryptor advertises, then deals its shares once the advertisement list is out.
            var dealing = new Dictionary<int, HePartyState>();
            for (int d = 0; d < Decryptors; d++)
            {
                var step = HeDecryptor.Start(p, keys[d], federation.ClientIds[d], SystemRandomSource.Instance).Advertise();
                dealing[d] = step.Next;
                await PostAsync(http, keys[d], round.RoundId, step.Outgoing!, "accepted");
            }
            var awaiting = new Dictionary<int, HePartyState>();
            for (int d = 0; d < Decryptors; d++)
            {
                var list = (AdvertisementList)Assert.Single(await PollAsync(http, keys[d], round.RoundId, 0));
                var step = dealing[d].Handle(list);
                awaiting[d] = step.Next;
                await PostAsync(http, keys[d], round.RoundId, step.Outgoing!, "accepted");
            }
            byte[][] closeOne = await PollBytesAsync(http, keys[4], round.RoundId, 1);
            var announcement = (CollectiveKeyAnnouncement)Decode(Assert.Single(closeOne));

            // H2, first half: devices 3 and 4 upload and are acknowledged; then the service restarts.
            var uploads = new Dictionary<int, byte[]>();
            foreach (int i in new[] { 3, 4 })
            {
                uploads[i] = MessageCodec.Encode(HeClient.Start(p, keys[i], federation.ClientIds[i], HeTestRound.Input(i, Length), SystemRandomSource.Instance).Handle(announcement).Outgoing!);
                await PostRawAsync(http, keys[i], round.RoundId, uploads[i], "accepted");
            }
            http.Dispose();
            service = await service.RestartAsync();
            http = new HttpClient { BaseAddress = service.Url };
            admin.Dispose();
            admin = service.Admin(); // the restarted service listens on a new ephemeral port

            RoundStatus resumed = await admin.GetRoundAsync(round.RoundId, includeSums: false);
            Assert.Equal((int)HeStage.Upload, resumed.Stage);
            Assert.Equal(2, resumed.Received);
            // The same close-1 messages as before (re-run deterministically from the log), and the upload is known.
            Assert.Equal(closeOne, await PollBytesAsync(http, keys[4], round.RoundId, 1));
            await PostRawAsync(http, keys[3], round.RoundId, uploads[3], "already-accepted");

            // H2, second half: the decryptors take their key shares (delivered at close 1) and upload too.
            for (int d = 0; d < Decryptors; d++)
            {
                var messages = await PollAsync(http, keys[d], round.RoundId, 1);
                ready[d] = awaiting[d].Handle(messages.OfType<KeyShareDelivery>().Single()).Next;
                var upload = HeClient.Start(p, keys[d], federation.ClientIds[d], HeTestRound.Input(d, Length), SystemRandomSource.Instance).Handle(announcement);
                await PostAsync(http, keys[d], round.RoundId, upload.Outgoing!, "accepted");
            }
            // All five uploads are in: H2 closed, and attempt 1 asks decryptors 1 and 2 (devices 0 and 1).
            foreach (int d in new[] { 0, 1 })
            {
                var request = (DecryptionRequestMessage)Assert.Single(await PollAsync(http, keys[d], round.RoundId, 2));
                var step = ready[d].Handle(request);
                ready[d] = step.Next;
                await PostAsync(http, keys[d], round.RoundId, step.Outgoing!, "accepted");
            }
            // The check (he.md 10.7): attempt 2 asks decryptor 3 (outside the first set) and decryptor 1 to fill it.
            foreach (int d in new[] { 0, 2 })
            {
                var request = (DecryptionRequestMessage)Assert.Single(await PollAsync(http, keys[d], round.RoundId, 3));
                var step = ready[d].Handle(request);
                ready[d] = step.Next;
                await PostAsync(http, keys[d], round.RoundId, step.Outgoing!, "accepted");
            }
            var result = (HeRoundResult)Assert.Single(await PollAsync(http, keys[3], round.RoundId, 4));
            Assert.Equal(HeDecryptionCheck.OverlappingSubset, result.Check); // [1,2] and [1,3] share decryptor 1
            Assert.Equal(HeTestRound.ExpectedSum(Enumerable.Range(0, Clients), Length), result.Sum);
            RoundStatus done = await admin.WaitForRoundAsync(round.RoundId, TimeSpan.FromMilliseconds(50));
            Assert.Equal(result.Sum, done.Sums![0]);
            Assert.Equal(federation.ClientIds, done.Survivors);
            http.Dispose();
            admin.Dispose();
            foreach (IdentityKeyPair k in keys)
            {
                k.Dispose();
            }
        }
        finally
        {
            foreach (var state in ready.Values)
            {
                state.Dispose();
            }
            await service.DisposeAsync();
        }
    }

    private static async Task<HeRoundParameters> ParametersAsync(LiveAggregator service, TestFederation federation, string roundId)
    {
        using var client = new SecureFedClient(service.ClientOptions(), federation.Keys[0]);
        RoundInfo info = await client.GetRoundAsync(roundId);
        return HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(info.Configuration, 1 << 20));
    }

    private static Task PostAsync(HttpClient http, IdentityKeyPair key, string roundId, HeEnvelope envelope, string expected) =>
        PostRawAsync(http, key, roundId, MessageCodec.Encode(envelope), expected);

    private static async Task PostRawAsync(HttpClient http, IdentityKeyPair key, string roundId, byte[] body, string expected)
    {
        using HttpResponseMessage r = await http.SendAsync(new RawClient(http, key).Signed(HttpMethod.Post, $"/v1/rounds/{roundId}/messages", body));
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains($"\"{expected}\"", text);
    }

    private static async Task<List<HeServerMessage>> PollAsync(HttpClient http, IdentityKeyPair key, string roundId, int close) =>
        [.. (await PollBytesAsync(http, key, roundId, close)).Select(Decode)];

    // Waits for close `close` and returns the caller's encoded messages from exactly that close.
    private static async Task<byte[][]> PollBytesAsync(HttpClient http, IdentityKeyPair key, string roundId, int close)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            using HttpResponseMessage r = await http.SendAsync(new RawClient(http, key).Signed(HttpMethod.Get, $"/v1/rounds/{roundId}/he/closes/{close}?wait=5", null));
            if (r.StatusCode == HttpStatusCode.NoContent)
            {
                continue;
            }
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            byte[] body = await r.Content.ReadAsByteArrayAsync();
            HeDelivery delivery = MessageCodec.Decode<HeDelivery>(body, body.Length);
            Assert.Equal(close, delivery.Close);
            return delivery.Messages;
        }
        throw new TimeoutException($"close {close} did not happen");
    }

    private static HeServerMessage Decode(byte[] bytes) => MessageCodec.Decode<HeServerMessage>(bytes, bytes.Length);
}
