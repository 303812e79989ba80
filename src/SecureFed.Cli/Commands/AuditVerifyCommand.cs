using SecureFed.Audit.Keys;
using SecureFed.Audit.Transcripts;
using SecureFed.Audit.Verification;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed audit verify`: the independent verifier of a round transcript.</summary>
internal sealed class AuditVerifyCommand : ICliCommand
{
    public string Name => "audit verify";

    public string Summary => "check a masking or HE round transcript: hash chain, signatures, protocol rules, the result (and secrets, with --keys)";

    public string Usage => """
        usage: securefed audit verify TRANSCRIPT [options]
          --keys FILE            the auditor's key file of a sample run: also recompute masks, the plain sum, uniformity
                                 (HE rounds: the clients' plaintext inputs, to check the published sum)
          --aggregator-key HEX   the aggregator's Ed25519 public key as published by the operator (default: trust the header's)
        prints one line per check (PASS / FAIL / SKIP with a reason)
        exit code: 0 when no check failed, 1 otherwise
        """;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        string? keysPath = args.String("keys");
        string? pinned = args.String("aggregator-key");
        if (args.Positionals.Count != 1)
        {
            throw new CliUsageException("give exactly one TRANSCRIPT file");
        }
        args.ThrowIfUnused();
        AuditVerification result = Verify(args.Positionals[0], keysPath, pinned);
        result.WriteText(output);
        return result.Passed ? 0 : 1;
    }

    // Shared with `audit report`: reads the files, maps unreadable input to usage errors.
    internal static AuditVerification Verify(string transcriptPath, string? keysPath, string? pinnedKeyHex)
    {
        byte[]? pinned = null;
        if (pinnedKeyHex is not null)
        {
            try
            {
                pinned = Convert.FromHexString(pinnedKeyHex);
            }
            catch (FormatException)
            {
                throw new CliUsageException("--aggregator-key must be 64 hex digits");
            }
            if (pinned.Length != 32)
            {
                throw new CliUsageException("--aggregator-key must be 64 hex digits");
            }
        }
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
