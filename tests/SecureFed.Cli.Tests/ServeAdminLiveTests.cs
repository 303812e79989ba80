using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using SecureFed.Aggregator;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Cli.Tests;

/// <summary>
/// `serve admin enrol/open/status` end to end: the commands as an operator types them, against the real service
/// (Kestrel on 127.0.0.1 and a SQLite file in a temp folder), so option parsing, the admin client and the service's
/// validation are exercised together.
/// </summary>
public sealed class ServeAdminLiveTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("securefed-cli-live-").FullName;
    private WebApplication? _app;
    private string _server = "";
    private string _keyFile = "";

    public async Task InitializeAsync()
    {
        _app = AggregatorApplication.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Aggregator:DatabasePath={Path.Combine(_folder, "securefed.db")}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        _server = _app.Urls.First();
        _keyFile = AggregatorApplication.AdminKeyFilePath(_app);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_dp_float_round_opened_with_the_cli_shows_its_encoding_graph_and_budget_in_its_status()
    {
        string keys = string.Join(',', Enumerable.Range(1, 5).Select(PublicKeyHex));
        using JsonDocument enrolled = Json(Admin("enrol", "--federation", "cli", "--public-keys", keys));
        Assert.Equal([1u, 2u, 3u, 4u, 5u], enrolled.RootElement.GetProperty("clientIds").EnumerateArray().Select(e => e.GetUInt32()));

        using JsonDocument opened = Json(Admin("open", "--federation", "cli", "--length", "16", "--clip-norm", "1.5", "--bits", "32",
            "--noise-multiplier", "1", "--budget", "30", "--deadline", "600"));
        string roundId = opened.RootElement.GetProperty("roundId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", roundId);

        using JsonDocument status = Json(Admin("status", "--round", roundId));
        JsonElement s = status.RootElement;
        Assert.Equal(roundId, s.GetProperty("roundId").GetString());
        Assert.Equal("running", s.GetProperty("status").GetString());
        Assert.Equal(5, s.GetProperty("rosterSize").GetInt32());
        // The finder's graph for 5 clients under the default assumptions, with its degree and threshold.
        Assert.False(string.IsNullOrEmpty(s.GetProperty("graph").GetString()));
        Assert.InRange(s.GetProperty("graphDegree").GetInt32(), 1, 4);
        Assert.InRange(s.GetProperty("threshold").GetInt32(), 1, 5);
        JsonElement encoding = s.GetProperty("encoding");
        Assert.Equal(1.5, encoding.GetProperty("clipNorm").GetDouble());
        double epsilon = encoding.GetProperty("roundEpsilon").GetDouble();
        Assert.True(epsilon > 0 && double.IsFinite(epsilon), $"round epsilon {epsilon}");
        // Nothing is spent until the round completes; the budget set by --budget is what remains.
        Assert.Equal(0, encoding.GetProperty("federationSpentEpsilon").GetDouble());
        Assert.Equal(30, encoding.GetProperty("federationRemainingEpsilon").GetDouble(), 9);
    }

    [Fact]
    public void A_round_opened_with_a_quiet_close_rule_shows_it_in_its_status_and_bad_values_are_refused_naming_the_field()
    {
        string keys = string.Join(',', Enumerable.Range(21, 5).Select(PublicKeyHex));
        Json(Admin("enrol", "--federation", "quiet", "--public-keys", keys)).Dispose();
        using JsonDocument opened = Json(Admin("open", "--federation", "quiet", "--length", "8", "--deadline", "600",
            "--quiet-closes", "0,0,1.5", "--quiet-quorum", "0.8"));
        using JsonDocument status = Json(Admin("status", "--round", opened.RootElement.GetProperty("roundId").GetString()!));
        JsonElement s = status.RootElement;
        Assert.Equal([0, 0, 1.5, 0, 0], s.GetProperty("quietCloseSeconds").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(0.8, s.GetProperty("quietCloseQuorum").GetDouble());
        Assert.False(s.TryGetProperty("stageQuorum", out _)); // R0: off (null, omitted)

        CliRun refused = CliRun.Of(["serve", "admin", "open", "--federation", "quiet", "--length", "8", "--quiet-closes", "1,1,1,1,1,1", .. Credentials()]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("invalid-configuration", refused.Error, StringComparison.Ordinal);
        Assert.Contains("StageQuietCloseSeconds", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_open_the_service_refuses_exits_1_naming_the_problem()
    {
        string keys = string.Join(',', Enumerable.Range(11, 3).Select(PublicKeyHex));
        Json(Admin("enrol", "--federation", "small", "--public-keys", keys)).Dispose();
        // A worst case above the budget: refused 409 privacy-budget-exhausted, and no round is opened.
        CliRun refused = CliRun.Of(["serve", "admin", "open", "--federation", "small", "--length", "8", "--clip-norm", "1",
            "--noise-multiplier", "0.3", "--budget", "0.01", .. Credentials()]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("privacy-budget-exhausted", refused.Error, StringComparison.Ordinal);
        Assert.Equal("", refused.Output);

        CliRun unknown = CliRun.Of(["serve", "admin", "status", "--round", new string('0', 32), .. Credentials()]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown-round", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_sets_a_federations_budget_and_prints_its_ledger_as_json_or_as_a_table()
    {
        Json(Admin("enrol", "--federation", "ledger", "--public-keys", PublicKeyHex(21))).Dispose();
        using JsonDocument set = Json(Admin("budget", "ledger", "--set", "4", "--delta", "1e-6", "--actor", "ops", "--json"));
        Assert.Equal("ledger", set.RootElement.GetProperty("federation").GetString());
        Assert.Equal(4, set.RootElement.GetProperty("budgetEpsilon").GetDouble(), 9);

        CliRun table = Admin("budget", "ledger");
        Assert.StartsWith("federation ledger: spent epsilon 0 of 4 at delta 1E-06; remaining 4", table.Output, StringComparison.Ordinal);
        Assert.Contains("ops", table.Output, StringComparison.Ordinal);

        CliRun usage = CliRun.Of(["serve", "admin", "budget", "ledger", "--actor", "x", .. Credentials()]);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--delta and --actor go with --set", usage.Error, StringComparison.Ordinal);
    }

    private CliRun Admin(string action, params string[] args)
    {
        CliRun run = CliRun.Of(["serve", "admin", action, .. args, .. Credentials()]);
        Assert.True(run.ExitCode == 0, $"serve admin {action} exited {run.ExitCode}: {run.Error}");
        return run;
    }

    private string[] Credentials() => ["--server", _server, "--admin-key-file", _keyFile];

    private static JsonDocument Json(CliRun run) => JsonDocument.Parse(run.Output);

    private static string PublicKeyHex(int seed)
    {
        byte[] bytes = new byte[32];
        bytes[0] = (byte)seed;
        using IdentityKeyPair key = IdentityKeyPair.FromSeed(bytes);
        return Convert.ToHexString(key.PublicKey.Bytes);
    }
}
