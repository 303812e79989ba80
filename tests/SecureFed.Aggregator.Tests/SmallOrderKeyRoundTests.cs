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

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// Issue 20, defect 3, over real HTTP: an enrolled device advertising an all-zero (small-order) X25519 key used to make
/// every honest client abort with KeyAgreementFailed. The service now refuses it with 422 invalid-content and the
/// honest devices complete the round.
/// </summary>
public sealed class SmallOrderKeyRoundTests
{
    [Fact]
    public async Task A_small_order_key_is_refused_at_R0_and_the_honest_clients_complete_the_round()
    {
        const int clients = 5, length = 8, bits = 32;
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await federation.OpenRoundAsync(admin, length, bits, deadlineSeconds: 3);

        RoundParameters parameters;
        using (var reader = new SecureFedClient(service.ClientOptions(), federation.Keys[4]))
        {
            RoundInfo info = await reader.GetRoundAsync(opened.RoundId);
            parameters = RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(info.Configuration, 1 << 20));
        }
        using IdentityKeyPair attacker = federation.Keys[4].LoadIdentity();
        uint attackerId = federation.ClientIds[4];
        ClientTransition start = SecAggClient.Start(parameters, attackerId, attacker, [new ulong[length]], SystemRandomSource.Instance);
        var genuine = MessageCodec.Decode<AdvertiseKeys>(start.Outgoing!.Body, 1024);
        byte[] body = MessageCodec.Encode(new AdvertiseKeys { MaskPublicKey = new byte[32], EncryptionPublicKey = genuine.EncryptionPublicKey });
        ClientEnvelope hostile = EnvelopeSigning.Seal(attacker, parameters.ConfigurationHash.Span, attackerId, ProtocolStage.AdvertiseKeys, body);

        using var http = new HttpClient { BaseAddress = service.Url };
        using (HttpResponseMessage refused = await http.SendAsync(new RawClient(http, attacker)
                   .Signed(HttpMethod.Post, $"/v1/rounds/{opened.RoundId}/messages", MessageCodec.Encode(hostile))))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("invalid-content", await RawClient.ProblemCodeAsync(refused));
        }
        Assert.Equal(0, (await admin.GetRoundAsync(opened.RoundId, includeSums: false)).Received);

        // The attacker sends nothing valid; the four honest devices run the whole round.
        Task<ContributionResult>[] runs = await federation.RunAsync(service.ClientOptions(), opened.RoundId, length, bits,
            new Dictionary<int, int> { [4] = 0 });

        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal(federation.ClientIds.Take(4), done.Survivors);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, 4), length, bits), done.Sums![0]);
        Assert.All(runs.Take(4), t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
    }
}
