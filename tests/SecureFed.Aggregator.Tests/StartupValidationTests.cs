using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Tests.Infrastructure;

namespace SecureFed.Aggregator.Tests;

/// <summary>Bad settings stop the service at start-up with a message naming the setting.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://192.0.2.1:7870")]
    [InlineData("http://aggregator.example:80")]
    public void Plain_http_beyond_loopback_is_refused_unless_allowed(string url)
    {
        using var folder = new TempFolder();
        string db = $"--Aggregator:DatabasePath={folder.File("a.db")}";
        var e = Assert.Throws<OptionsValidationException>(() => AggregatorApplication.Build(["--urls", url, db]));
        Assert.Contains("AllowInsecureHttp", e.Message, StringComparison.Ordinal);
        using WebApplication allowed = AggregatorApplication.Build(["--urls", url, db, "--Aggregator:AllowInsecureHttp=true"]);
    }

    [Theory]
    [InlineData("--Aggregator:ReplayWindowSeconds=0", "ReplayWindowSeconds")]
    [InlineData("--Aggregator:LongPollSeconds=-1", "LongPollSeconds")]
    [InlineData("--Aggregator:ClientRequestsPerSecond=0", "ClientRequestsPerSecond")]
    [InlineData("--Aggregator:MaxRunningRounds=0", "MaxRunningRounds")]
    [InlineData("--Aggregator:EndedRoundsInMemory=-1", "EndedRoundsInMemory")]
    [InlineData("--Aggregator:MaxConnections=0", "MaxConnections")]
    [InlineData("--Aggregator:MaxRequestHeaderBytes=100", "MaxRequestHeaderBytes")]
    public async Task An_out_of_range_setting_stops_the_start_and_is_named(string setting, string name)
    {
        using var folder = new TempFolder();
        // Options are validated when first read: while the service is built (it opens its database) or at start.
        Exception? e = await Record.ExceptionAsync(async () =>
        {
            await using WebApplication app = AggregatorApplication.Build(
                ["--urls", "http://127.0.0.1:0", $"--Aggregator:DatabasePath={folder.File("a.db")}", setting]);
            await app.StartAsync();
            await app.StopAsync();
        });
        Assert.Contains(name, Assert.IsType<OptionsValidationException>(e).Message, StringComparison.Ordinal);
    }
}
