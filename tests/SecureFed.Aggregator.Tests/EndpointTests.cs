using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>Endpoint behaviour on the in-memory test server (WebApplicationFactory).</summary>
public sealed class EndpointTests : IDisposable
{
    private readonly AggregatorFactory _factory = new();
    private readonly HttpClient _http;

    public EndpointTests()
    {
        _http = _factory.CreateClient();
    }

    public void Dispose()
    {
        _http.Dispose();
        _factory.Dispose();
    }

    private SecureFedAdminClient Admin() => new(new Uri("http://localhost"), _factory.AdminKey, _factory.CreateClient());

    private SecureFedClient Device(SeedKeyStore keys) =>
        new(new SecureFedClientOptions { ServerUrl = new Uri("http://localhost"), MaxAttempts = 1 }, keys, _factory.CreateClient());

    [Fact]
    public async Task Healthz_answers_ok()
    {
        using HttpResponseMessage r = await _http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("\"ok\"", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer 00")]
    [InlineData("Bearer 0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task The_admin_api_refuses_requests_without_the_admin_key(string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/rounds");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using HttpResponseMessage r = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("admin-unauthorized", await RawClient.ProblemCodeAsync(r));
    }

    [Fact]
    public async Task Opening_a_round_with_a_bad_configuration_names_the_field()
    {
        using SecureFedAdminClient admin = Admin();
        await admin.EnrolKeysAsync("f", [SeedKeyStore.For("cfg", 0).PublicKey(), SeedKeyStore.For("cfg", 1).PublicKey(), SeedKeyStore.For("cfg", 2).PublicKey()]);
        var bad = new OpenRoundRequest { Federation = "f", Vectors = [new VectorRequest { Length = 10, Bits = 65 }] };
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(bad));
        Assert.Equal("invalid-configuration", e.Code);
        Assert.Contains("Vectors[0].Bits", e.Message, StringComparison.Ordinal);
        Assert.Equal(new ConfigurationError("Vectors[0].Bits", "in [1, 64]", "65"), e.InvalidConfiguration);
        var badThreshold = new OpenRoundRequest { Federation = "f", Vectors = [new VectorRequest { Length = 10 }], Threshold = 1 };
        Assert.Equal(new ConfigurationError("Threshold", "in [2, 3] for 3 share holders per client (a strict majority)", "1"),
            (await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(badThreshold))).InvalidConfiguration);
        var badMinimum = new OpenRoundRequest { Federation = "f", Vectors = [new VectorRequest { Length = 10 }], MinimumClients = 9 };
        Assert.Equal(new ConfigurationError("MinClients", "in [threshold 2, roster 3]", "9"),
            (await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(badMinimum))).InvalidConfiguration);
        var tooSmall = new OpenRoundRequest { Federation = "empty", Vectors = [new VectorRequest { Length = 10 }] };
        Assert.Equal("roster-too-small", (await Assert.ThrowsAsync<RequestRefusedException>(() => admin.OpenRoundAsync(tooSmall))).Code);
    }

    [Fact]
    public async Task An_enrolment_token_enrols_exactly_one_key()
    {
        using SecureFedAdminClient admin = Admin();
        EnrolmentTokenResponse token = await admin.CreateEnrolmentTokenAsync("tokens", TimeSpan.FromMinutes(5));
        using SecureFedClient first = Device(SeedKeyStore.For("tok", 0)), second = Device(SeedKeyStore.For("tok", 1));

        EnrolmentResult enrolled = await first.EnrolAsync(token.Token);
        Assert.Equal("tokens", enrolled.Federation);
        Assert.Equal(1u, enrolled.ClientId);
        var reuse = await Assert.ThrowsAsync<RequestRefusedException>(() => second.EnrolAsync(token.Token));
        Assert.Equal("invalid-token", reuse.Code);
        Assert.Equal([1u], await admin.EnrolKeysAsync("tokens", [first.PublicKey]));
    }

    [Fact]
    public async Task A_revoked_key_cannot_be_enrolled_again()
    {
        using SecureFedAdminClient admin = Admin();
        var key = SeedKeyStore.For("rev", 0).PublicKey();
        IReadOnlyList<uint> ids = await admin.EnrolKeysAsync("rev", [key]);
        await admin.RevokeAsync("rev", ids[0]);
        Assert.Equal("revoked", (await Assert.ThrowsAsync<RequestRefusedException>(() => admin.EnrolKeysAsync("rev", [key]))).Code);
    }

    [Fact]
    public async Task The_operator_can_abort_a_round_and_its_clients_learn_it()
    {
        using SecureFedAdminClient admin = Admin();
        var keys = Enumerable.Range(0, 3).Select(i => SeedKeyStore.For("abort", i)).ToArray();
        await admin.EnrolKeysAsync("abort", keys.Select(k => k.PublicKey()));
        RoundStatus round = await admin.OpenRoundAsync(new OpenRoundRequest { Federation = "abort", Vectors = [new VectorRequest { Length = 4 }] });
        Assert.Equal("aborted", (await admin.AbortRoundAsync(round.RoundId)).Status);
        using SecureFedClient device = Device(keys[0]);
        await Assert.ThrowsAsync<RoundAbortedException>(() => device.ContributeAsync(round.RoundId, new ulong[4]));
    }

    [Fact]
    public async Task Metrics_are_exposed_in_prometheus_text_format()
    {
        using SecureFedAdminClient admin = Admin();
        await admin.EnrolKeysAsync("m", [SeedKeyStore.For("m", 0).PublicKey(), SeedKeyStore.For("m", 1).PublicKey(), SeedKeyStore.For("m", 2).PublicKey()]);
        await admin.OpenRoundAsync(new OpenRoundRequest { Federation = "m", Vectors = [new VectorRequest { Length = 4 }] });
        string text = await _http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE securefed_rounds_opened_total counter", text, StringComparison.Ordinal);
        Assert.Equal(1, PrometheusText.Value(text, "securefed_rounds_opened_total"));
        Assert.Equal(1, PrometheusText.Value(text, "securefed_rounds_running"));
        Assert.Contains("securefed_request_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal); // ASP.NET Core instrumentation
        Assert.Contains("# TYPE dotnet_gc_collections_total counter", text, StringComparison.Ordinal); // runtime instrumentation
    }

    [Fact]
    public async Task An_unknown_round_is_a_404_problem()
    {
        using SecureFedClient device = Device(SeedKeyStore.For("x", 0));
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() => device.GetRoundAsync(new string('a', 32)));
        Assert.Equal(404, e.StatusCode);
        Assert.Equal("unknown-round", e.Code);
    }

    [Fact]
    public async Task Admin_json_with_a_bad_key_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/v1/federations/f/clients")
        {
            Content = JsonContent.Create(new EnrolKeysRequest { PublicKeys = ["zz"] }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _factory.AdminKey);
        using HttpResponseMessage r = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("invalid-key", await RawClient.ProblemCodeAsync(r));
    }
}
