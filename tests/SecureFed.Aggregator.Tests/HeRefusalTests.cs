using System.Net;
using Microsoft.Data.Sqlite;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Decryptor;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// Bad HE envelopes over real HTTP are refused with the masking path's problem codes and change nothing: the round's
/// counters and the database's replay log are the same before and after.
/// </summary>
public sealed class HeRefusalTests : IAsyncLifetime
{
    private const int Clients = 5, Length = 8;
    private LiveAggregator _service = null!;
    private SecureFedAdminClient _admin = null!;
    private TestFederation _federation = null!;
    private RoundStatus _round = null!;
    private HeRoundParameters _parameters = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _service = await LiveAggregator.StartAsync();
        _admin = _service.Admin();
        _federation = await TestFederation.EnrolAsync(_admin, Clients);
        _round = await HeTestRound.OpenAsync(_admin, _federation, decryptors: 3, threshold: 2, Length);
        _http = new HttpClient { BaseAddress = _service.Url };
        using var client = new SecureFedClient(_service.ClientOptions(), _federation.Keys[0]);
        RoundInfo info = await client.GetRoundAsync(_round.RoundId);
        Assert.Equal(Schemes.He, info.Scheme);
        _parameters = HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(info.Configuration, 1 << 20));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _admin.Dispose();
        await _service.DisposeAsync();
    }

    private string MessagesPath => $"/v1/rounds/{_round.RoundId}/messages";

    private RawClient Raw(int index) => new(_http, _federation.Keys[index].LoadIdentity());

    // A fresh H0 advertisement of decryptor device `index` (a new key each call).
    private HeEnvelope Advertise(int index)
    {
        using IdentityKeyPair key = _federation.Keys[index].LoadIdentity();
        var step = HeDecryptor.Start(_parameters, key, _federation.ClientIds[index], SystemRandomSource.Instance).Advertise();
        step.Next.Dispose();
        return step.Outgoing!;
    }

    private HeEnvelope Seal(int index, HeStage stage, byte[] body)
    {
        using IdentityKeyPair key = _federation.Keys[index].LoadIdentity();
        return HeEnvelopeSigning.Seal(_parameters, key, _federation.ClientIds[index], stage, body);
    }

    private async Task<(int Received, long LogRows)> SnapshotAsync()
    {
        RoundStatus s = await _admin.GetRoundAsync(_round.RoundId, includeSums: false);
        await using var db = new SqliteConnection($"Data Source={_service.DatabasePath};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using SqliteCommand c = db.CreateCommand();
        c.CommandText = "SELECT COUNT(*) FROM round_log";
        return (s.Received, (long)(await c.ExecuteScalarAsync())!);
    }

    private async Task AssertRefusedAsync(int index, byte[] body, HttpStatusCode status, string code)
    {
        var before = await SnapshotAsync();
        using HttpResponseMessage r = await _http.SendAsync(Raw(index).Signed(HttpMethod.Post, MessagesPath, body));
        Assert.Equal(status, r.StatusCode);
        Assert.Equal(code, await RawClient.ProblemCodeAsync(r));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_tampered_signature_is_refused()
    {
        HeEnvelope e = Advertise(0);
        e.Signature[5] ^= 1;
        await AssertRefusedAsync(0, MessageCodec.Encode(e), HttpStatusCode.BadRequest, "bad-envelope-signature");
    }

    [Fact]
    public async Task An_envelope_for_another_stage_is_refused()
    {
        await AssertRefusedAsync(0, MessageCodec.Encode(Seal(0, HeStage.Upload, [0x90])), HttpStatusCode.Conflict, "wrong-stage");
    }

    [Fact]
    public async Task An_advertisement_from_a_device_that_is_not_a_decryptor_is_refused()
    {
        HeEnvelope genuine = Advertise(0);
        await AssertRefusedAsync(4, MessageCodec.Encode(Seal(4, HeStage.KeyAdvertisement, genuine.Body)), HttpStatusCode.Conflict, "not-expected");
    }

    [Fact]
    public async Task An_envelope_naming_another_sender_than_the_request_signer_is_refused()
    {
        await AssertRefusedAsync(1, MessageCodec.Encode(Advertise(0)), HttpStatusCode.Forbidden, "sender-mismatch");
    }

    [Fact]
    public async Task Malformed_and_oversized_bodies_are_refused()
    {
        await AssertRefusedAsync(0, [0xC1, 0x00, 0x01], HttpStatusCode.BadRequest, "malformed");
        long limit = Enum.GetValues<HeStage>().Max(s => HeServer.MaxEnvelopeBytes(_parameters, s));
        await AssertRefusedAsync(0, new byte[limit + 1], HttpStatusCode.RequestEntityTooLarge, "oversized");
        // Within the transport's limit (an H3 share is larger) but above H0's own limit: the state machine refuses it.
        long h0 = HeServer.MaxEnvelopeBytes(_parameters, HeStage.KeyAdvertisement);
        await AssertRefusedAsync(0, new byte[h0 + 1], HttpStatusCode.RequestEntityTooLarge, "oversized");
    }

    [Fact]
    public async Task A_resent_envelope_counts_once_a_replayed_request_is_refused_and_a_second_advertisement_is_a_duplicate()
    {
        byte[] advert = MessageCodec.Encode(Advertise(0));
        RawClient raw = Raw(0);
        HttpRequestMessage first = raw.Signed(HttpMethod.Post, MessagesPath, advert);
        HttpRequestMessage replay = await RawClient.CloneAsync(first);
        using (HttpResponseMessage r = await _http.SendAsync(first))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("\"accepted\"", await r.Content.ReadAsStringAsync());
        }
        var after = await SnapshotAsync();
        Assert.Equal((1, 1L), after);

        using (HttpResponseMessage r = await _http.SendAsync(replay))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("replayed", await RawClient.ProblemCodeAsync(r));
        }
        using (HttpResponseMessage r = await _http.SendAsync(raw.Signed(HttpMethod.Post, MessagesPath, advert)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("already-accepted", await r.Content.ReadAsStringAsync());
        }
        Assert.Equal(after, await SnapshotAsync());
        await AssertRefusedAsync(0, MessageCodec.Encode(Advertise(0)), HttpStatusCode.Conflict, "duplicate");
    }

    [Fact]
    public async Task Opening_an_HE_round_with_a_bad_field_is_refused_with_the_field_and_its_allowed_range()
    {
        async Task<ConfigurationError> RefusalAsync(Action<HeRoundRequest> edit)
        {
            var he = new HeRoundRequest { Decryptors = [.. _federation.ClientIds.Take(3)], Threshold = 2, VectorLength = 8, InputRange = 1000 };
            edit(he);
            var e = await Assert.ThrowsAsync<RequestRefusedException>(() => _admin.OpenRoundAsync(new OpenRoundRequest { Federation = _federation.Name, Scheme = Schemes.He, He = he }));
            Assert.Equal(400, e.StatusCode);
            Assert.Equal(ProblemCode.InvalidConfiguration, e.Problem);
            ConfigurationError error = Assert.IsType<ConfigurationError>(e.InvalidConfiguration);
            Assert.Contains(error.Field, e.Message, StringComparison.Ordinal);
            return error;
        }

        Assert.Equal(new ConfigurationError("He.Threshold", "in [1, 3]", "4"), await RefusalAsync(h => h.Threshold = 4));
        Assert.Equal(new ConfigurationError("He.Decryptors", $"enrolled, unrevoked members of federation '{_federation.Name}'", "999"), await RefusalAsync(h => h.Decryptors = [999]));
        Assert.Equal(new ConfigurationError("He.VectorLength", "in [1, 2^28]", "0"), await RefusalAsync(h => h.VectorLength = 0));
        Assert.Equal(new ConfigurationError("He.MinimumClients", $"in [1, {Clients}]", "99"), await RefusalAsync(h => h.MinimumClients = 99));
        ConfigurationError bits = await RefusalAsync(h => h.Bits = 8);
        Assert.Equal(("He.Bits", "8"), (bits.Field, bits.Got)); // the lattice's Bits, named as the request names it
        Assert.StartsWith("in [", bits.Allowed, StringComparison.Ordinal);
        ConfigurationError range = await RefusalAsync(h => h.InputRange = ulong.MaxValue);
        Assert.Equal(("He.InputRange", ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)), (range.Field, range.Got));
        var missing = await Assert.ThrowsAsync<RequestRefusedException>(() => _admin.OpenRoundAsync(new OpenRoundRequest { Federation = _federation.Name, Scheme = Schemes.He }));
        Assert.Equal("He", missing.InvalidConfiguration!.Field);
        var scheme = await Assert.ThrowsAsync<RequestRefusedException>(() => _admin.OpenRoundAsync(new OpenRoundRequest { Federation = _federation.Name, Scheme = "paillier" }));
        Assert.Equal(new ConfigurationError("Scheme", "one of \"masking\", \"he\"", "\"paillier\""), scheme.InvalidConfiguration);
        var deadline = await Assert.ThrowsAsync<RequestRefusedException>(() => _admin.OpenRoundAsync(new OpenRoundRequest
        {
            Federation = _federation.Name, Scheme = Schemes.He, He = new HeRoundRequest { Decryptors = [.. _federation.ClientIds.Take(3)], VectorLength = 8 },
            StageDeadlinesSeconds = [60, -1],
        }));
        Assert.Equal(new ConfigurationError("StageDeadlinesSeconds[1]", "in (0, 86400] seconds", "-1"), deadline.InvalidConfiguration);
    }
}
