using System.Text.Json;
using SecureFed.Client;

namespace SecureFed.Cli.Commands;

/// <summary>Runs a swarm (or a soak) and prints its report: JSON, or text; a swarm's text is a scheme's head lines and the shared tail.</summary>
internal static class SwarmConsole
{
    /// <summary>Exit code 0 when the sums matched (and a DP round's ledger did); 1 when not or the server could not be used.</summary>
    public static int RunAndPrint(Func<Task<SwarmReport>> run, CliProgress progress, bool json, TextWriter output, TextWriter error,
        Action<SwarmReport, TextWriter> printHead) =>
        RunAndPrint("swarm", run, progress, json, output, error, (report, o) => PrintText(report, o, printHead), r => r.SumMatches && r.LedgerMatches != false);

    /// <summary>Exit code 0 when <paramref name="passed"/> says so; 1 when not or the server could not be used.</summary>
    public static int RunAndPrint<T>(string command, Func<Task<T>> run, CliProgress progress, bool json, TextWriter output, TextWriter error,
        Action<T, TextWriter> printText, Func<T, bool> passed)
    {
        T report;
        try
        {
            report = progress.Run(() => run().GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is RequestRefusedException or HttpRequestException or ServerUnreachableException)
        {
            error.WriteLine($"securefed {command}: {e.Message}");
            return 1;
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, SimulationSummary.JsonOptions));
        }
        else
        {
            printText(report, output);
        }
        return passed(report) ? 0 : 1;
    }

    private static void PrintText(SwarmReport report, TextWriter output, Action<SwarmReport, TextWriter> printHead)
    {
        printHead(report, output);
        output.WriteLine($"  wall time {report.WallSeconds:F2} s (enrol {report.EnrolSeconds:F2} s)");
        output.WriteLine($"  sum matches: {report.SumMatches}");
        if (report.LedgerMatches is { } ledger)
        {
            output.WriteLine($"  DP: round epsilon {report.DpRoundEpsilon:G6}, ledger charges for the round {report.LedgerCharges}, one equal charge: {ledger}");
        }
        if (report.ServerPeakMb is { } peak)
        {
            output.WriteLine($"  server peak memory {peak:F1} MB (VmHWM)");
        }
        if (report.FirstError is not null)
        {
            output.WriteLine($"  first client error: {report.FirstError}");
        }
    }
}
