using System.Net;
using Microsoft.Data.Sqlite;
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
/// Bad requests over real HTTP are refused with the stated problem code and change nothing: the round's counters and
/// the database's stored messages are the same before and after.
/// </summary>
public sealed class RefusalTests : IAsyncLifetime
{
    private const int Clients = 4, Length = 8, Bits = 32;
    private LiveAggregator _service = null!;
    private SecureFedAdminClient _admin = null!;
    private TestFederation _federation = null!;
    private RoundStatus _round = null!;
    private RoundParameters _parameters = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _service = await LiveAggregator.StartAsync();
        _admin = _service.Admin();
        _federation = await TestFederation.EnrolAsync(_admin, Clients);
        _round = await _federation.OpenRoundAsync(_admin, Length, Bits);
        _http = new HttpClient { BaseAddress = _service.Url };
        using var client = new SecureFedClient(_service.ClientOptions(), _federation.Keys[0]);
        RoundInfo info = await client.GetRoundAsync(_round.RoundId);
        _parameters = RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(info.Configuration, 1 << 20));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _admin.Dispose();
        await _service.DisposeAsync();
    }

    private string MessagesPath => $"/v1/rounds/{_round.RoundId}/messages";

    // The R0 envelope device `index` would send.
    private byte[] AdvertiseKeys(int index)
    {
        using IdentityKeyPair key = _federation.Keys[index].LoadIdentity();
        ClientTransition t = SecAggClient.Start(_parameters, _federation.ClientIds[index], key, [new ulong[Length]], SystemRandomSource.Instance);
        return MessageCodec.Encode(t.Outgoing!);
    }

    private async Task<(int Received, long StoredRows)> SnapshotAsync()
    {
        RoundStatus s = await _admin.GetRoundAsync(_round.RoundId, includeSums: false);
        using var c = new SqliteConnection($"Data Source={_service.DatabasePath};Mode=ReadOnly;Pooling=False");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM round_log";
        return (s.Received, (long)cmd.ExecuteScalar()!);
    }

    private async Task AssertRefusedAsync(HttpRequestMessage request, HttpStatusCode status, string code)
    {
        var before = await SnapshotAsync();
        using HttpResponseMessage response = await _http.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, await RawClient.ProblemCodeAsync(response));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_key_not_on_the_roster_is_refused()
    {
        using IdentityKeyPair stranger = IdentityKeyPair.Generate(SystemRandomSource.Instance);
        var raw = new RawClient(_http, stranger);
        await AssertRefusedAsync(raw.Signed(HttpMethod.Post, MessagesPath, AdvertiseKeys(0)), HttpStatusCode.Forbidden, "not-enrolled");
        await AssertRefusedAsync(raw.Signed(HttpMethod.Get, $"/v1/rounds/{_round.RoundId}", null), HttpStatusCode.Forbidden, "not-enrolled");
    }

    [Fact]
    public async Task A_replayed_request_is_refused_and_the_original_counts_once()
    {
        using IdentityKeyPair key = _federation.Keys[1].LoadIdentity();
        var raw = new RawClient(_http, key);
        HttpRequestMessage original = raw.Signed(HttpMethod.Post, MessagesPath, AdvertiseKeys(1));
        HttpRequestMessage replay = await RawClient.CloneAsync(original);
        using (HttpResponseMessage first = await _http.SendAsync(original))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        Assert.Equal(1, (await SnapshotAsync()).Received);
        await AssertRefusedAsync(replay, HttpStatusCode.Unauthorized, "replayed");
    }

    [Fact]
    public async Task A_request_signed_outside_the_replay_window_is_refused()
    {
        using IdentityKeyPair key = _federation.Keys[1].LoadIdentity();
        var raw = new RawClient(_http, key);
        long anHourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        await AssertRefusedAsync(raw.Signed(HttpMethod.Post, MessagesPath, AdvertiseKeys(1), anHourAgo), HttpStatusCode.Unauthorized, "stale-request");
    }

    [Fact]
    public async Task A_body_altered_after_signing_is_refused()
    {
        using IdentityKeyPair key = _federation.Keys[2].LoadIdentity();
        var raw = new RawClient(_http, key);
        byte[] body = AdvertiseKeys(2);
        HttpRequestMessage request = raw.Signed(HttpMethod.Post, MessagesPath, body);
        byte[] tampered = (byte[])body.Clone();
        tampered[^1] ^= 1;
        request.Content = new ByteArrayContent(tampered);
        await AssertRefusedAsync(request, HttpStatusCode.Unauthorized, "bad-request-signature");
    }

    [Fact]
    public async Task An_envelope_whose_own_signature_is_broken_is_refused_even_in_a_well_signed_request()
    {
        using IdentityKeyPair key = _federation.Keys[2].LoadIdentity();
        var raw = new RawClient(_http, key);
        ClientEnvelope envelope = MessageCodec.Decode<ClientEnvelope>(AdvertiseKeys(2), 1 << 20);
        envelope.Signature[0] ^= 1;
        await AssertRefusedAsync(raw.Signed(HttpMethod.Post, MessagesPath, MessageCodec.Encode(envelope)), HttpStatusCode.BadRequest, "bad-envelope-signature");
    }

    [Fact]
    public async Task A_body_larger_than_the_rounds_limit_is_refused_before_it_is_parsed()
    {
        using IdentityKeyPair key = _federation.Keys[3].LoadIdentity();
        var raw = new RawClient(_http, key);
        long limit = Enum.GetValues<ProtocolStage>().Max(s => SecureFed.Protocol.Server.ServerLimits.MaxEnvelopeBytes(_parameters, s));
        await AssertRefusedAsync(raw.Signed(HttpMethod.Post, MessagesPath, new byte[limit + 1]), HttpStatusCode.RequestEntityTooLarge, "oversized");
    }

    [Fact]
    public async Task A_message_for_a_later_stage_is_refused_as_wrong_stage()
    {
        using IdentityKeyPair key = _federation.Keys[3].LoadIdentity();
        var raw = new RawClient(_http, key);
        // A correctly signed R3 envelope while the round is in R0.
        byte[] body = MessageCodec.Encode(new ConsistencyCheck { SurvivorSetHash = new byte[32] });
        ClientEnvelope envelope = EnvelopeSigning.Seal(key, new byte[32], _federation.ClientIds[3], ProtocolStage.ConsistencyCheck, body);
        await AssertRefusedAsync(raw.Signed(HttpMethod.Post, MessagesPath, MessageCodec.Encode(envelope)), HttpStatusCode.Conflict, "wrong-stage");
    }

    [Fact]
    public async Task An_envelope_naming_another_sender_is_refused()
    {
        using IdentityKeyPair key = _federation.Keys[3].LoadIdentity();
        var raw = new RawClient(_http, key);
        await AssertRefusedAsync(raw.Signed(HttpMethod.Post, MessagesPath, AdvertiseKeys(0)), HttpStatusCode.Forbidden, "sender-mismatch");
    }

    [Fact]
    public async Task An_identical_resend_is_acknowledged_without_being_counted_twice_and_a_different_second_message_is_a_duplicate()
    {
        using IdentityKeyPair key = _federation.Keys[0].LoadIdentity();
        var raw = new RawClient(_http, key);
        byte[] body = AdvertiseKeys(0);
        using (HttpResponseMessage r = await _http.SendAsync(raw.Signed(HttpMethod.Post, MessagesPath, body)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        var after = await SnapshotAsync();
        using (HttpResponseMessage r = await _http.SendAsync(raw.Signed(HttpMethod.Post, MessagesPath, body)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("already-accepted", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(after, await SnapshotAsync());
        await AssertRefusedAsync(raw.Signed(HttpMethod.Post, MessagesPath, AdvertiseKeys(0)), HttpStatusCode.Conflict, "duplicate");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_in_a_running_round()
    {
        await _admin.RevokeAsync(_federation.Name, _federation.ClientIds[2]);
        using IdentityKeyPair key = _federation.Keys[2].LoadIdentity();
        var raw = new RawClient(_http, key);
        await AssertRefusedAsync(raw.Signed(HttpMethod.Post, MessagesPath, AdvertiseKeys(2)), HttpStatusCode.Forbidden, "revoked");
    }

    [Fact]
    public async Task A_request_without_signature_headers_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, MessagesPath) { Content = new ByteArrayContent(AdvertiseKeys(0)) };
        await AssertRefusedAsync(request, HttpStatusCode.Unauthorized, "unsigned");
    }
}
