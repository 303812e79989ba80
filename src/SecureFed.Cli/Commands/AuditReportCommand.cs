using SecureFed.Audit.Reporting;
using SecureFed.Audit.Verification;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed audit report`: a self-contained HTML page of a verified transcript.</summary>
internal sealed class AuditReportCommand : ICliCommand
{
    public string Name => "audit report";

    public string Summary => "write a self-contained HTML audit report (timeline, bytes, dropouts, histograms, privacy, checks)";

    public string Usage => """
        usage: securefed audit report TRANSCRIPT --out FILE.html [options]
          --out FILE             where to write the report (required)
          --keys FILE            the auditor's key file of a sample run (adds the plain-input histogram and key checks)
          --aggregator-key HEX   the aggregator's published Ed25519 public key
        plots need a system font (Debian: fonts-dejavu-core)
        exit code: 0 when the report was written and no check failed, 1 when a check failed (the report is still written)
        """;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        string? outPath = args.String("out");
        string? keysPath = args.String("keys");
        string? pinned = args.String("aggregator-key");
        if (args.Positionals.Count != 1 || outPath is null)
        {
            throw new CliUsageException("give exactly one TRANSCRIPT file and --out FILE");
        }
        args.ThrowIfUnused();
        AuditVerification result = AuditVerifyCommand.Verify(args.Positionals[0], keysPath, pinned);
        AuditReportWriter.Write(outPath, result, Path.GetFileName(args.Positionals[0]));
        output.WriteLine($"report: {outPath} ({new FileInfo(outPath).Length:N0} bytes); {(result.Passed ? "VERIFIED" : "NOT VERIFIED")}");
        return result.Passed ? 0 : 1;
    }
}
