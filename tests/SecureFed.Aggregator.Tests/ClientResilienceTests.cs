using System.Diagnostics;
using System.Net;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// The client's HTTP pipeline over real Kestrel: cancellation is honoured promptly in a long poll and in a retry
/// backoff, and transient failures are retried with every attempt signed afresh. Time bounds are generous (5 s for a
/// 1 s goal): this checks that cancellation is wired through, not how fast a shared machine is.
/// </summary>
public sealed class ClientResilienceTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Cancelling_during_a_long_poll_ends_the_contribution_promptly_and_leaves_the_round_running()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync("--Aggregator:LongPollSeconds=60");
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        RoundStatus round = await federation.OpenRoundAsync(admin, 4, 32, deadlineSeconds: 120);
        SecureFedClientOptions options = service.ClientOptions();
        options.PollWait = TimeSpan.FromSeconds(60);
        await using var client = new SecureFedClient(options, federation.Keys[0]);
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Progress += (_, e) =>
        {
            if (e.Step == "sent")
            {
                sent.TrySetResult();
            }
        };
        using var cts = new CancellationTokenSource();

        Task<ContributionResult> run = client.ContributeAsync(round.RoundId, TestFederation.Input(0, 4, 32), cts.Token);
        await sent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500); // the client is now held in the poll for stage 1 (the others never advertise)
        Assert.False(run.IsCompleted);
        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.True(clock.Elapsed < Generous, $"cancellation took {clock.Elapsed}");
        Assert.Equal("running", (await admin.GetRoundAsync(round.RoundId)).Status);
    }

    [Fact]
    public async Task Cancelling_during_a_retry_backoff_ends_the_request_promptly()
    {
        int port = ServiceProcess.FreePort(); // nothing listens there: every attempt fails and waits before the next
        var options = new SecureFedClientOptions
        {
            ServerUrl = new Uri($"http://127.0.0.1:{port}/"),
            MaxAttempts = 10,
            RetryBaseDelay = TimeSpan.FromSeconds(30),
            MaxRetryDelay = TimeSpan.FromSeconds(60),
        };
        await using var client = new SecureFedClient(options, SeedKeyStore.For("backoff", 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetRoundAsync(new string('0', 32), cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500) + Generous, $"cancellation took {clock.Elapsed}");
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_every_attempt_is_signed_afresh()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        RoundStatus round = await federation.OpenRoundAsync(admin, 4, 32);
        var flaky = new FailingFirst(2) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(flaky);

        await using var client = new SecureFedClient(service.ClientOptions(), federation.Keys[0], http);
        RoundInfo info = await client.GetRoundAsync(round.RoundId);

        Assert.Equal("running", info.Status);
        Assert.Equal(3, flaky.Nonces.Count);
        Assert.Equal(3, flaky.Nonces.Distinct().Count());
    }

    [Fact]
    public async Task A_socket_failure_that_HttpClient_did_not_wrap_is_retried_like_any_network_failure()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = service.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        RoundStatus round = await federation.OpenRoundAsync(admin, 4, 32);
        var broken = new ThrowingFirst(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected))
        {
            InnerHandler = new SocketsHttpHandler(),
        };
        using var http = new HttpClient(broken);

        await using var client = new SecureFedClient(service.ClientOptions(), federation.Keys[0], http);
        RoundInfo info = await client.GetRoundAsync(round.RoundId);

        Assert.Equal("running", info.Status);
        Assert.Equal(2, broken.Attempts);
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        await using LiveAggregator service = await LiveAggregator.StartAsync();
        var counting = new FailingFirst(0) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(counting);
        await using var client = new SecureFedClient(service.ClientOptions(), SeedKeyStore.For("refused", 0), http);
        var e = await Assert.ThrowsAsync<RequestRefusedException>(() => client.GetRoundAsync(new string('a', 32)));
        Assert.Equal("unknown-round", e.Code);
        Assert.Single(counting.Nonces);
    }

    // Throws the given exception bare (not wrapped in HttpRequestException) on the first attempt, then passes attempts on.
    private sealed class ThrowingFirst(Exception failure) : DelegatingHandler
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _attempts) == 1 ? Task.FromException<HttpResponseMessage>(failure) : base.SendAsync(request, cancellationToken);
    }

    // Answers the first `failures` attempts with 503 itself, then passes attempts to the real server; records each nonce.
    private sealed class FailingFirst(int failures) : DelegatingHandler
    {
        private int _seen;

        public List<string> Nonces { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Nonces)
            {
                Nonces.Add(request.Headers.GetValues(TransportHeaders.Nonce).Single());
            }
            return Interlocked.Increment(ref _seen) <= failures
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request })
                : base.SendAsync(request, cancellationToken);
        }
    }
}
