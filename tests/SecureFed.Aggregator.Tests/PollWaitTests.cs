using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Primitives.Signatures;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// Issue 20, defect 1: a poll's <c>wait</c> that is not a finite number (NaN, infinity) answered 500 with a stack trace
/// on both poll endpoints. It is now <c>400 invalid-wait</c>; any other unexpected exception is a 500 problem logged as
/// one line without the exception (and so without a stack trace).
/// </summary>
public sealed class PollWaitTests : IAsyncLifetime
{
    private LiveAggregator _service = null!;
    private SecureFedAdminClient _admin = null!;
    private TestFederation _federation = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _service = await LiveAggregator.StartAsync();
        _admin = _service.Admin();
        _federation = await TestFederation.EnrolAsync(_admin, 5);
        _http = new HttpClient { BaseAddress = _service.Url };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _admin.Dispose();
        await _service.DisposeAsync();
    }

    public static TheoryData<string> NonFinite => ["NaN", "nan", "-NaN", "Infinity", "-Infinity", "1e999"];

    private async Task<HttpResponseMessage> PollAsync(string path)
    {
        using IdentityKeyPair key = _federation.Keys[0].LoadIdentity();
        return await _http.SendAsync(new RawClient(_http, key).Signed(HttpMethod.Get, path, null));
    }

    [Theory]
    [MemberData(nameof(NonFinite))]
    public async Task A_non_finite_wait_on_a_masking_poll_is_400_invalid_wait(string wait)
    {
        RoundStatus round = await _federation.OpenRoundAsync(_admin, 8, 32);
        using HttpResponseMessage r = await PollAsync($"/v1/rounds/{round.RoundId}/messages/0?wait={wait}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("invalid-wait", await RawClient.ProblemCodeAsync(r));
    }

    [Theory]
    [MemberData(nameof(NonFinite))]
    public async Task A_non_finite_wait_on_an_he_poll_is_400_invalid_wait(string wait)
    {
        RoundStatus round = await HeTestRound.OpenAsync(_admin, _federation, decryptors: 3, threshold: 2, length: 8);
        using HttpResponseMessage r = await PollAsync($"/v1/rounds/{round.RoundId}/he/closes/0?wait={wait}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("invalid-wait", await RawClient.ProblemCodeAsync(r));
    }

    [Fact]
    public async Task A_finite_wait_still_polls_and_a_negative_one_counts_as_zero()
    {
        RoundStatus round = await _federation.OpenRoundAsync(_admin, 8, 32);
        using HttpResponseMessage negative = await PollAsync($"/v1/rounds/{round.RoundId}/messages/0?wait=-5");
        Assert.Equal(HttpStatusCode.NoContent, negative.StatusCode);
        using HttpResponseMessage small = await PollAsync($"/v1/rounds/{round.RoundId}/messages/0?wait=0.01");
        Assert.Equal(HttpStatusCode.NoContent, small.StatusCode);
    }

    [Fact]
    public async Task An_unexpected_exception_becomes_a_500_problem_and_a_one_line_log_without_the_exception()
    {
        var log = new RecordingLogger();
        var middleware = new ProblemMiddleware(_ => throw new InvalidOperationException("boom"),
            _service.Services.GetRequiredService<AggregatorMetrics>(), log);
        var context = new DefaultHttpContext { RequestServices = _service.Services };
        context.Request.Method = "GET";
        context.Request.Path = "/v1/rounds/x/messages/0";
        context.Response.Body = new MemoryStream();

        await middleware.InvokeAsync(context);

        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
        context.Response.Body.Position = 0;
        string body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains("\"code\":\"internal-error\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", body, StringComparison.Ordinal);
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Null(entry.Exception);
        Assert.Contains("InvalidOperationException", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", entry.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingLogger : ILogger<ProblemMiddleware>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
