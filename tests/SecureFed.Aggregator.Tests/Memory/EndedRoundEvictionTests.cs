using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Storage;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests.Memory;

/// <summary>
/// Ended rounds leave memory (issue 20: memory flat however many rounds a service runs): with room for
/// <see cref="Cap"/> ended rounds, many ended rounds leave at most that many in memory, and an evicted round, read back
/// from SQLite, still answers its status, its result and an already-accepted resend as it did, also after a restart.
/// </summary>
public sealed class EndedRoundEvictionTests : IAsyncLifetime
{
    private const int Cap = 2, Clients = 4, Length = 8, Bits = 32;
    private LiveAggregator _service = null!;
    private SecureFedAdminClient _admin = null!;
    private TestFederation _federation = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _service = await LiveAggregator.StartAsync($"--Aggregator:EndedRoundsInMemory={Cap}");
        _admin = _service.Admin();
        _federation = await TestFederation.EnrolAsync(_admin, Clients);
        _http = new HttpClient { BaseAddress = _service.Url };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _admin.Dispose();
        await _service.DisposeAsync();
    }

    private RoundCoordinator Coordinator => _service.Services.GetRequiredService<RoundCoordinator>();

    [Fact]
    public async Task Many_ended_rounds_leave_at_most_the_cap_in_memory_and_an_evicted_round_answers_as_before()
    {
        // A completed round, and an aborted one holding one accepted envelope (the resend case of transport.md).
        RoundStatus completed = await _federation.OpenRoundAsync(_admin, Length, Bits);
        ContributionResult[] results = await Task.WhenAll(await _federation.RunAsync(_service.ClientOptions(), completed.RoundId, Length, Bits));
        Assert.All(results, r => Assert.Equal(Clients, r.Survivors.Count));
        RoundStatus before = await _admin.WaitForRoundAsync(completed.RoundId, TimeSpan.FromMilliseconds(50));
        (string aborted, byte[] accepted) = await AbortedRoundWithOneEnvelopeAsync();

        for (int i = 0; i < 3 * Cap; i++)
        {
            RoundStatus extra = await _federation.OpenRoundAsync(_admin, Length, Bits);
            await _admin.AbortRoundAsync(extra.RoundId);
            await _admin.GetRoundAsync(extra.RoundId); // each read puts it in the ended-round cache
            Assert.InRange(Coordinator.InMemory, 0, Cap);
        }
        Assert.Equal(0, Coordinator.Running);
        Assert.Equal(2 + 3 * Cap, await ListedRoundsAsync());
        Assert.InRange(Coordinator.InMemory, 0, Cap); // listing reads every round and keeps none of them
        Assert.Equal(Cap, Coordinator.InMemory);

        await AssertServedAsync(completed.RoundId, before, aborted, accepted);
        _service = await _service.RestartAsync(); // on a new port: new clients
        _http.Dispose();
        _admin.Dispose();
        _http = new HttpClient { BaseAddress = _service.Url };
        _admin = _service.Admin();
        Assert.Equal(0, Coordinator.InMemory); // start-up brings back running rounds only
        await AssertServedAsync(completed.RoundId, before, aborted, accepted);
    }

    [Fact]
    public async Task A_round_leaves_memory_only_once_its_end_is_durable_and_is_then_answered_from_the_store()
    {
        RoundStatus round = await _federation.OpenRoundAsync(_admin, Length, Bits);
        RoundRuntime rt = Coordinator.Get(round.RoundId);
        // Held gate: the abort queues its outcome in the round's group commit, then the test takes the gate back
        // before the flush can take that write (the gate is a FIFO semaphore: no timing).
        await rt.Gate.WaitAsync();
        Task abort = Coordinator.AbortAsync(rt, "eviction test", CancellationToken.None);
        rt.Gate.Release();
        await rt.Gate.WaitAsync();
        try
        {
            Assert.Null(_service.Services.GetRequiredService<RoundStore>().Find(rt.RoundId)!.Outcome); // not durable yet
            Assert.Same(rt, Coordinator.Get(round.RoundId)); // so still running in memory, not looked up in the store
            Assert.Null(rt.End);
            Assert.Equal(1, Coordinator.Running);
        }
        finally
        {
            rt.Gate.Release();
        }
        await abort;

        Assert.NotNull(_service.Services.GetRequiredService<RoundStore>().Find(rt.RoundId)!.Outcome);
        Assert.Equal(0, Coordinator.Running);
        RoundRuntime ended = Coordinator.Get(round.RoundId);
        Assert.NotSame(rt, ended); // retired: read back from the store
        Assert.Equal(RoundPhase.Aborted, ended.Phase);
        Assert.Equal("aborted", (await _admin.GetRoundAsync(round.RoundId)).Status);
    }

    [Fact]
    public async Task Ids_that_name_no_round_are_404_and_push_no_ended_round_out()
    {
        RoundStatus round = await _federation.OpenRoundAsync(_admin, Length, Bits);
        await _admin.AbortRoundAsync(round.RoundId);
        await _admin.GetRoundAsync(round.RoundId);
        Assert.Equal(1, Coordinator.InMemory);
        for (int i = 0; i < 3 * Cap; i++)
        {
            string unknown = Convert.ToHexStringLower(BitConverter.GetBytes((long)i)) + new string('0', 16);
            using HttpResponseMessage r = await _http.GetAsync($"/v1/rounds/{unknown}");
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("unknown-round", await RawClient.ProblemCodeAsync(r));
        }
        Assert.Equal(1, Coordinator.InMemory);
    }

    // Status with sums, the result a member polls, the accepted envelope's resend (200 already-accepted) and another
    // envelope of the same client (410 round-closed): each as the round answered while it was in memory.
    private async Task AssertServedAsync(string completedId, RoundStatus before, string abortedId, byte[] accepted)
    {
        RoundStatus after = await _admin.GetRoundAsync(completedId);
        Assert.Equal("completed", after.Status);
        Assert.Equal(before.Survivors, after.Survivors);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, Clients), Length, Bits), after.Sums![0]);

        using IdentityKeyPair key = _federation.Keys[0].LoadIdentity();
        var raw = new RawClient(_http, key);
        using (HttpResponseMessage r = await _http.SendAsync(raw.Signed(HttpMethod.Get, $"/v1/rounds/{completedId}/result", null)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            RoundResultInfo result = MessageCodec.Decode<RoundResultInfo>(await r.Content.ReadAsByteArrayAsync(), 1 << 20);
            Assert.Equal(after.Sums![0], result.Sums[0]);
        }
        Assert.Equal("aborted", (await _admin.GetRoundAsync(abortedId)).Status);
        using (HttpResponseMessage r = await _http.SendAsync(raw.Signed(HttpMethod.Post, $"/v1/rounds/{abortedId}/messages", accepted)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("already-accepted", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        byte[] other = await AdvertiseKeysAsync(abortedId, 0);
        using (HttpResponseMessage r = await _http.SendAsync(raw.Signed(HttpMethod.Post, $"/v1/rounds/{abortedId}/messages", other)))
        {
            Assert.Equal(HttpStatusCode.Gone, r.StatusCode);
            Assert.Equal("round-closed", await RawClient.ProblemCodeAsync(r));
        }
        using (HttpResponseMessage r = await _http.SendAsync(raw.Signed(HttpMethod.Get, $"/v1/rounds/{abortedId}/result", null)))
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Equal("round-not-completed", await RawClient.ProblemCodeAsync(r));
        }
    }

    private async Task<int> ListedRoundsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/rounds");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _service.AdminKey);
        using HttpResponseMessage r = await _http.SendAsync(request);
        r.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return json.RootElement.GetArrayLength();
    }

    private async Task<(string RoundId, byte[] Accepted)> AbortedRoundWithOneEnvelopeAsync()
    {
        RoundStatus round = await _federation.OpenRoundAsync(_admin, Length, Bits);
        byte[] envelope = await AdvertiseKeysAsync(round.RoundId, 0);
        using IdentityKeyPair key = _federation.Keys[0].LoadIdentity();
        using (HttpResponseMessage r = await _http.SendAsync(new RawClient(_http, key).Signed(HttpMethod.Post, $"/v1/rounds/{round.RoundId}/messages", envelope)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        await _admin.AbortRoundAsync(round.RoundId);
        return (round.RoundId, envelope);
    }

    // An R0 envelope of device `index` (fresh keys each call, so two calls give two different envelopes).
    private async Task<byte[]> AdvertiseKeysAsync(string roundId, int index)
    {
        using var client = new SecureFedClient(_service.ClientOptions(), _federation.Keys[index]);
        RoundInfo info = await client.GetRoundAsync(roundId);
        var parameters = RoundParameters.Create(MessageCodec.Decode<RoundConfiguration>(info.Configuration, 1 << 20));
        using IdentityKeyPair key = _federation.Keys[index].LoadIdentity();
        ClientTransition t = SecAggClient.Start(parameters, _federation.ClientIds[index], key, [new ulong[Length]], SystemRandomSource.Instance);
        return MessageCodec.Encode(t.Outgoing!);
    }
}
