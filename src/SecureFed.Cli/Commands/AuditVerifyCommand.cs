using System.CommandLine;
using SecureFed.Audit.Keys;
using SecureFed.Transcripts;
using SecureFed.Audit.Verification;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed audit verify`: the independent verifier of a round transcript.</summary>
internal sealed class AuditVerifyCommand : CliCommand
{
    private readonly Argument<string> _transcript = new("TRANSCRIPT") { Description = "the round transcript file" };
    private readonly Option<string?> _keys = CliOptions.Text("--keys", "FILE",
        "the auditor's key file of a sample run: also recompute masks, the plain sum, uniformity (HE rounds: the clients' plaintext inputs, to check the published sum)");
    private readonly Option<string?> _aggregatorKey = CliOptions.Text("--aggregator-key", "HEX",
        "the aggregator's Ed25519 public key as published by the operator (default: trust the header's)");

    public override string Name => "audit verify";

    public override string Description => """
        check a masking or HE round transcript: hash chain, signatures, protocol rules, the result (and secrets, with --keys)
        prints one line per check (PASS / FAIL / SKIP with a reason)
        exit code: 0 when no check failed, 1 otherwise
        """;

    public override IEnumerable<Symbol> Symbols => [_transcript, _keys, _aggregatorKey];

    public override int Run(ParseResult parse, CliConsole console)
    {
        AuditVerification result = Verify(parse.GetRequiredValue(_transcript), parse.GetValue(_keys), parse.GetValue(_aggregatorKey));
        result.WriteText(console.Output);
        return result.Passed ? 0 : 1;
    }

    // Shared with `audit report`: reads the files, maps unreadable input to usage errors.
    internal static AuditVerification Verify(string transcriptPath, string? keysPath, string? pinnedKeyHex)
    {
        byte[]? pinned = pinnedKeyHex switch
        {
            null => null,
            { Length: 64 } when pinnedKeyHex.All(char.IsAsciiHexDigit) => Convert.FromHexString(pinnedKeyHex),
            _ => throw new CliUsageException("--aggregator-key must be 64 hex digits"),
        };
        byte[] transcript = ReadFile(transcriptPath, "transcript");
        AuditKeyFile? keys = null;
        HeAuditKeyFile? heKeys = null;
        try
        {
            if (keysPath is not null)
            {
                _ = ReadFile(keysPath, "key file");
                if (HeAuditKeyFile.Declares(keysPath))
                {
                    heKeys = HeAuditKeyFile.Load(keysPath);
                }
                else
                {
                    keys = AuditKeyFile.Load(keysPath);
                }
            }
            return TranscriptVerifier.Verify(transcript, keys, pinned, heKeys);
        }
        catch (TranscriptFormatException e)
        {
            throw new CliUsageException(e.Message);
        }
        finally
        {
            keys?.Dispose();
            heKeys?.Dispose();
        }
    }

    private static byte[] ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read the {what} '{path}': {e.Message}");
        }
    }
}
