using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SecureFed.Client;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>The real service in process: Kestrel on 127.0.0.1 with an ephemeral port and a SQLite file in a temp folder.</summary>
public sealed class LiveAggregator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Action<WebApplicationBuilder>? _configure;

    private LiveAggregator(WebApplication app, TempFolder folder, Uri url, Action<WebApplicationBuilder>? configure)
    {
        _app = app;
        _configure = configure;
        Folder = folder;
        Url = url;
        AdminKey = File.ReadAllText(folder.File("securefed-admin.key")).Trim();
    }

    public TempFolder Folder { get; }

    public Uri Url { get; }

    public string AdminKey { get; }

    public IServiceProvider Services => _app.Services;

    public string DatabasePath => Folder.File("securefed.db");

    public static Task<LiveAggregator> StartAsync(params string[] extraArgs) => StartAsync(new TempFolder(), extraArgs, null);

    /// <summary>As <see cref="StartAsync(string[])"/>, with <paramref name="configure"/> applied to the host builder
    /// (for example a clock of the test's own); a restart applies it again.</summary>
    public static Task<LiveAggregator> StartAsync(Action<WebApplicationBuilder> configure, params string[] extraArgs) =>
        StartAsync(new TempFolder(), extraArgs, configure);

    /// <summary>Starts a service whose log events also go to <paramref name="logs"/>.</summary>
    public static Task<LiveAggregator> StartAsync(CapturedLogs logs, params string[] extraArgs) =>
        StartAsync(new TempFolder(), [.. extraArgs, "--Logging:LogLevel:Default=Debug"], b => b.Logging.AddProvider(logs));

    /// <summary>Stops this service (a clean shutdown; the database stays) and starts a new one on the same folder.</summary>
    public async Task<LiveAggregator> RestartAsync(params string[] extraArgs)
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        return await StartAsync(Folder, extraArgs, _configure);
    }

    private static async Task<LiveAggregator> StartAsync(TempFolder folder, string[] extraArgs, Action<WebApplicationBuilder>? configure)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Aggregator:DatabasePath={folder.File("securefed.db")}",
            "--Aggregator:DeadlineCheckMilliseconds=50",
            "--Aggregator:ClientRequestsPerSecond=1000",
            "--Aggregator:ClientRequestBurst=1000",
            "--Logging:LogLevel:Default=Warning", // a later argument (the CapturedLogs overload) may lower it
            .. extraArgs,
        ];
        WebApplication app = AggregatorApplication.Build(args, configure);
        await app.StartAsync();
        return new LiveAggregator(app, folder, new Uri(app.Urls.First()), configure);
    }

    public SecureFedAdminClient Admin() => new(Url, AdminKey);

    public SecureFedClientOptions ClientOptions() => new()
    {
        ServerUrl = Url,
        PollWait = TimeSpan.FromSeconds(5),
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(500),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Folder.Dispose();
    }
}
