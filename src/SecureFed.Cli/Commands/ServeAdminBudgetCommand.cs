using System.CommandLine;
using System.Globalization;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// `securefed serve admin budget FEDERATION`: the federation's privacy ledger round by round; with --set the first
/// budget is set or its epsilon raised (the service records the act with --actor).
/// </summary>
internal sealed class ServeAdminBudgetCommand : ServeAdminAction
{
    private readonly Argument<string> _federation = new("FEDERATION") { Description = "the federation" };
    private readonly Option<double?> _set = CliOptions.OptionalDouble("--set", "EPS", "set the budget's epsilon (first time) or raise it (only upward; recorded)", 1e-9, 1e9);
    private readonly Option<double?> _delta = CliOptions.OptionalDouble("--delta", "D", "the budget's delta when it is first set, in (0, 1)", 1e-300, 0.999999);
    private readonly Option<string?> _actor = CliOptions.Text("--actor", "NAME", "who sets or raises the budget (recorded; default admin)");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "print the ledger as JSON");

    public override string Name => "serve admin budget";

    public override string Description => "a federation's privacy ledger round by round; --set sets or raises its budget";

    protected override IEnumerable<Symbol> ActionSymbols => [_federation, _set, _delta, _actor, _json];

    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse)
    {
        string federation = parse.GetRequiredValue(_federation);
        double? set = parse.GetValue(_set);
        double? delta = parse.GetValue(_delta);
        string? actor = parse.GetValue(_actor);
        if (set is null && (delta is not null || actor is not null))
        {
            throw new CliUsageException("--delta and --actor go with --set");
        }
        return async admin => set is double epsilon
            ? await admin.SetPrivacyBudgetAsync(federation, epsilon, delta, actor).ConfigureAwait(false)
            : await admin.GetPrivacyLedgerAsync(federation).ConfigureAwait(false);
    }

    protected override void Print(object result, ParseResult parse, CliConsole console)
    {
        if (parse.GetValue(_json))
        {
            base.Print(result, parse, console);
        }
        else
        {
            Print((PrivacyLedgerView)result, console);
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
