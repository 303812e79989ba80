using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `securefed serve admin budget FEDERATION`: the federation's privacy ledger round by round; with --set the first
/// budget is set or its epsilon raised (the service records the act with --actor).
/// </summary>
internal sealed class ServeAdminBudgetCommand : CliCommand
{
    private readonly Argument<string> _federation = new("FEDERATION") { Description = "the federation" };
    private readonly Option<double?> _set = CliOptions.OptionalDouble("--set", "EPS", "set the budget's epsilon (first time) or raise it (only upward; recorded)", 1e-9, 1e9);
    private readonly Option<double?> _delta = CliOptions.OptionalDouble("--delta", "D", "the budget's delta when it is first set, in (0, 1)", 1e-300, 0.999999);
    private readonly Option<string?> _actor = CliOptions.Text("--actor", "NAME", "who sets or raises the budget (recorded; default admin)");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "print the ledger as JSON");
    private readonly Option<Uri> _server = ServeAdminCredentials.ServerOption();
    private readonly Option<string?> _adminKey = ServeAdminCredentials.AdminKeyOption();
    private readonly Option<string?> _adminKeyFile = ServeAdminCredentials.AdminKeyFileOption();

    public override string Name => "serve admin budget";

    public override string Description => "a federation's privacy ledger round by round; --set sets or raises its budget";

    public override IEnumerable<Symbol> Symbols => [_federation, _set, _delta, _actor, _json, _server, _adminKey, _adminKeyFile];

    public override int Run(ParseResult parse, CliConsole console)
    {
        string federation = parse.GetRequiredValue(_federation);
        double? set = parse.GetValue(_set);
        double? delta = parse.GetValue(_delta);
        if (set is null && (delta is not null || parse.GetValue(_actor) is not null))
        {
            throw new CliUsageException("--delta and --actor go with --set");
        }
        Uri server = parse.GetRequiredValue(_server);
        string key = ServeAdminCredentials.Resolve(server, parse.GetValue(_adminKey), parse.GetValue(_adminKeyFile));
        using var admin = new SecureFedAdminClient(server, key);
        try
        {
            PrivacyLedgerView view = (set is double epsilon
                ? admin.SetPrivacyBudgetAsync(federation, epsilon, delta, parse.GetValue(_actor))
                : admin.GetPrivacyLedgerAsync(federation)).GetAwaiter().GetResult();
            if (parse.GetValue(_json))
            {
                console.Output.WriteLine(JsonSerializer.Serialize(view, AdminJson.Options));
            }
            else
            {
                Print(view, console);
            }
            return 0;
        }
        catch (RequestRefusedException e)
        {
            console.Error.WriteLine($"securefed {Name}: {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            console.Error.WriteLine($"securefed {Name}: cannot reach {server}: {e.Message}");
            return 1;
        }
    }

    private static void Print(PrivacyLedgerView view, CliConsole console)
    {
        var c = CultureInfo.InvariantCulture;
        console.Output.WriteLine(string.Create(c,
            $"federation {view.Federation}: spent epsilon {view.SpentEpsilon:G6} of {view.BudgetEpsilon:G6} at delta {view.BudgetDelta:G3}; remaining {view.RemainingEpsilon:G6}"));
        var table = CliTable.Numeric("#", "entry", "recorded (UTC)", "round", "survivors", "round eps", "spent eps", "budget eps", "actor");
        foreach (PrivacyLedgerLine e in view.Entries)
        {
            table.Row(
                e.Sequence.ToString(c),
                e.Kind,
                DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", c),
                e.RoundId ?? "",
                e.Survivors?.ToString(c) ?? "",
                e.RoundEpsilon?.ToString("G6", c) ?? "",
                e.SpentEpsilon.ToString("G6", c),
                e.BudgetEpsilon.ToString("G6", c),
                e.Actor ?? "");
        }
        console.Write(table);
    }
}
