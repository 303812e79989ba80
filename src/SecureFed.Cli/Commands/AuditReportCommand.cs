using System.CommandLine;
using SecureFed.Audit.Reporting;
using SecureFed.Audit.Verification;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed audit report`: a self-contained HTML page of a verified transcript.</summary>
internal sealed class AuditReportCommand : CliCommand
{
    private readonly Argument<string> _transcript = new("TRANSCRIPT") { Description = "the round transcript file" };
    private readonly Option<string> _out = CliOptions.RequiredText("--out", "FILE", "where to write the report");
    private readonly Option<string?> _keys = CliOptions.Text("--keys", "FILE", "the auditor's key file of a sample run (adds the plain-input histogram and key checks)");
    private readonly Option<string?> _aggregatorKey = CliOptions.Text("--aggregator-key", "HEX", "the aggregator's published Ed25519 public key");

    public override string Name => "audit report";

    public override string Description => """
        write a self-contained HTML audit report (timeline, bytes, dropouts, histograms, privacy, checks)
        plots need a system font (Debian: fonts-dejavu-core)
        exit code: 0 when the report was written and no check failed, 1 when a check failed (the report is still written)
        """;

    public override IEnumerable<Symbol> Symbols => [_transcript, _out, _keys, _aggregatorKey];

    public override int Run(ParseResult parse, CliConsole console)
    {
        string transcript = parse.GetRequiredValue(_transcript);
        string outPath = parse.GetRequiredValue(_out);
        AuditVerification result = AuditVerifyCommand.Verify(transcript, parse.GetValue(_keys), parse.GetValue(_aggregatorKey));
        AuditReportWriter.Write(outPath, result, Path.GetFileName(transcript));
        console.Output.WriteLine($"report: {outPath} ({new FileInfo(outPath).Length:N0} bytes); {(result.Passed ? "VERIFIED" : "NOT VERIFIED")}");
        return result.Passed ? 0 : 1;
    }
}
