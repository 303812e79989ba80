using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Tests.Infrastructure;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Tests;

/// <summary>
/// The aggregator as a library inside a plain ASP.NET Core app on loopback (AddSecureFedAggregator + MapSecureFed), its
/// telemetry (event ids, round and stage spans, per-service metrics) and its start-up validation.
/// </summary>
public sealed class HostedLibraryTests
{
    [Fact]
    public async Task A_plain_app_hosts_the_aggregator_beside_its_own_endpoints_and_runs_a_round()
    {
        const int clients = 4, length = 8, bits = 32;
        using var folder = new TempFolder();
        var logs = new CapturedLogs();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "SecureFed.Aggregator",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSecureFedAggregator(o =>
        {
            o.DatabasePath = folder.File("hosted.db");
            o.MetricsPath = "/secagg/metrics";
            o.DeadlineCheckMilliseconds = 50;
        });
        await using WebApplication app = builder.Build();
        app.MapGet("/hello", () => "hello from the host app");
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("the host app's own failure"));
        app.MapSecureFed();
        await app.StartAsync();
        var url = new Uri(app.Urls.First());
        using var http = new HttpClient { BaseAddress = url };

        using var admin = new SecureFedAdminClient(url, File.ReadAllText(AggregatorApplication.AdminKeyFilePath(app)).Trim());
        TestFederation federation = await TestFederation.EnrolAsync(admin, clients);
        RoundStatus opened = await federation.OpenRoundAsync(admin, length, bits);
        var options = new SecureFedClientOptions { ServerUrl = url, PollWait = TimeSpan.FromSeconds(5) };
        Task<ContributionResult>[] runs = await federation.RunAsync(options, opened.RoundId, length, bits);

        Assert.All(runs, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        RoundStatus done = await admin.WaitForRoundAsync(opened.RoundId, TimeSpan.FromMilliseconds(50));
        Assert.Equal("completed", done.Status);
        Assert.Equal(TestFederation.ExpectedSum(Enumerable.Range(0, clients), length, bits), done.Sums![0]);

        // The host's endpoints are its own: no SecureFed problem handling on them.
        Assert.Equal("hello from the host app", await http.GetStringAsync("/hello"));
        using HttpResponseMessage boom = await http.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
        Assert.DoesNotContain("internal-error", await boom.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Metrics at the configured path, not at /metrics.
        string metrics = await http.GetStringAsync("/secagg/metrics");
        Assert.Equal(1, PrometheusText.Value(metrics, "securefed_rounds_finished_total"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);

        // One event per round transition, each with its stable id.
        var ofRound = logs.Events.Where(e => e.Message.Contains(opened.RoundId, StringComparison.Ordinal)).ToList();
        Assert.Single(ofRound, e => e.Id.Id == AggregatorEventIds.RoundOpened && e.Id.Name == nameof(AggregatorEventIds.RoundOpened));
        Assert.Equal(5, ofRound.Count(e => e.Id.Id == AggregatorEventIds.StageClosed));
        Assert.Single(ofRound, e => e.Id.Id == AggregatorEventIds.RoundCompleted);

        // A round span with one child span per stage, all five closed.
        Activity round = Assert.Single(spans, s => s.OperationName == "securefed.round" && (string?)s.GetTagItem("securefed.round.id") == opened.RoundId);
        Assert.Equal(ActivityStatusCode.Ok, round.Status);
        Assert.Equal("completed", round.GetTagItem("securefed.round.status"));
        var stages = spans.Where(s => s.OperationName == "securefed.stage" && s.ParentSpanId == round.SpanId).ToList();
        Assert.Equal(5, stages.Count);
        Assert.All(stages, s => Assert.Equal(clients, s.GetTagItem("securefed.stage.received")));
        Assert.Equal(ActivityTraceId.CreateFromString(round.TraceId.ToHexString()), stages[0].TraceId);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_refused_request_is_logged_with_its_event_id_and_problem_code()
    {
        var logs = new CapturedLogs();
        await using LiveAggregator service = await LiveAggregator.StartAsync(logs);
        using var http = new HttpClient { BaseAddress = service.Url };
        using HttpResponseMessage unauthorized = await http.GetAsync("/admin/v1/rounds");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        var refused = Assert.Single(logs.Events, e => e.Id.Id == AggregatorEventIds.RequestRefused);
        Assert.Contains("401 admin-unauthorized", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_services_in_one_process_each_report_only_their_own_metrics()
    {
        await using LiveAggregator first = await LiveAggregator.StartAsync();
        await using LiveAggregator second = await LiveAggregator.StartAsync();
        using SecureFedAdminClient admin = first.Admin();
        TestFederation federation = await TestFederation.EnrolAsync(admin, 3);
        await federation.OpenRoundAsync(admin, 4, 32);
        using var http = new HttpClient();

        string mine = await http.GetStringAsync(new Uri(first.Url, "/metrics"));
        string theirs = await http.GetStringAsync(new Uri(second.Url, "/metrics"));

        Assert.Equal(1, PrometheusText.Value(mine, "securefed_rounds_opened_total"));
        Assert.Equal(1, PrometheusText.Value(mine, "securefed_rounds_running"));
        Assert.Null(PrometheusText.Value(theirs, "securefed_rounds_opened_total"));
        Assert.Equal(0, PrometheusText.Value(theirs, "securefed_rounds_running"));
    }

    [Fact]
    public void Invalid_options_from_the_configure_action_fail_the_start_and_name_the_setting()
    {
        using var folder = new TempFolder();
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Services.AddSecureFedAggregator(o =>
        {
            o.DatabasePath = folder.File("bad.db");
            o.LongPollSeconds = -1;
            o.OtlpEndpoint = "not a url";
        });
        // Kestrel's limits are read from the validated settings, so the start may already fail when the host is built.
        var e = Assert.Throws<OptionsValidationException>(() =>
        {
            using WebApplication app = builder.Build();
            app.MapSecureFed();
        });
        Assert.Contains("Aggregator:LongPollSeconds", e.Message, StringComparison.Ordinal);
        Assert.Contains("Aggregator:OtlpEndpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapSecureFed_without_AddSecureFedAggregator_says_what_is_missing()
    {
        using WebApplication app = WebApplication.CreateBuilder().Build();
        var e = Assert.Throws<InvalidOperationException>(() => app.MapSecureFed());
        Assert.Contains("AddSecureFedAggregator", e.Message, StringComparison.Ordinal);
    }
}
