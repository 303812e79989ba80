using System.Text.Json;
using SecureFed.Client;
using SecureFed.Primitives.Signatures;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin ACTION`: the operator's side of a running aggregator (enrol, revoke, tokens, rounds).</summary>
internal sealed class ServeAdminCommand : ICliCommand
{
    public string Name => "serve admin";

    public string Summary => "operate an aggregator: enrol|revoke|token|open|status|abort|transcript";

    public string Usage => $"""
        usage: securefed serve admin ACTION [options]     (prints JSON)
          enrol  --federation F --public-keys HEX[,HEX...]   add Ed25519 keys to the roster; prints their client ids
          revoke --federation F --client-id N                refuse a key from now on
          token  --federation F [--valid-seconds S]          one-time enrolment token (default 3600 s)
          open   --federation F --length M [--bits B] [--threshold T] [--min-clients N] [--deadline SECONDS]
                                                              open a round over the federation's roster
                 [--scheme he --decryptors ID[,ID...] [--input-range R] [--max-attempts K] [--clip-range C]
                  [--lanes L] [--bodies B] [--degree N] [--deadlines S0,S1,S2,S3]]
                                                              an HE round: decryptors are enrolled client ids, T of
                                                              them decrypt (default a strict majority); --min-clients
                                                              is the fewest uploads decrypted (default 1); lanes,
                                                              bodies and degree default to the smallest upload
          status --round ID                                  a round's status and, once completed, its sum
          abort  --round ID                                  abort a running round
          transcript ROUND --out FILE                        download a finished round's signed transcript
                                                              (service started with --transcripts)
        common options:
          --server URL            the aggregator (default {ServeCommand.DefaultUrl})
          --admin-key HEX | --admin-key-file FILE
                                  the admin key (default for a loopback server: ./securefed-admin.key)
        """;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        bool transcript = args.Positionals.Count == 2 && args.Positionals[0] == "transcript";
        if (args.Positionals.Count != 1 && !transcript)
        {
            throw new CliUsageException("give exactly one action: enrol, revoke, token, open, status, abort or transcript ROUND");
        }
        Uri server = ServeAdminCredentials.ParseServer(args.String("server"));
        string key = ServeAdminCredentials.Resolve(server, args.String("admin-key"), args.String("admin-key-file"));
        if (transcript || args.Positionals[0] == "transcript")
        {
            string round = transcript ? args.Positionals[1] : throw new CliUsageException("usage: serve admin transcript ROUND --out FILE");
            string outPath = args.String("out") ?? throw new CliUsageException("--out FILE is required");
            args.ThrowIfUnused();
            return ServeAdminTranscript.Download(server, key, round, outPath, output, error);
        }
        Func<SecureFedAdminClient, Task<object>> action = args.Positionals[0] switch
        {
            "enrol" => Enrol(args),
            "revoke" => Revoke(args),
            "token" => Token(args),
            "open" => Open(args),
            "status" => Status(args),
            "abort" => Abort(args),
            string other => throw new CliUsageException($"unknown action '{other}'"),
        };
        args.ThrowIfUnused();
        using var admin = new SecureFedAdminClient(server, key);
        try
        {
            object result = action(admin).GetAwaiter().GetResult();
            output.WriteLine(JsonSerializer.Serialize(result, AdminJson.Options));
            return 0;
        }
        catch (RequestRefusedException e)
        {
            error.WriteLine($"securefed serve admin: {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            error.WriteLine($"securefed serve admin: cannot reach {server}: {e.Message}");
            return 1;
        }
    }

    private static string Federation(CliArguments args) => args.String("federation") ?? throw new CliUsageException("--federation is required");

    private static Func<SecureFedAdminClient, Task<object>> Enrol(CliArguments args)
    {
        string federation = Federation(args);
        string keys = args.String("public-keys") ?? throw new CliUsageException("--public-keys is required");
        var parsed = keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseKey).ToList();
        return async a => new { federation, clientIds = await a.EnrolKeysAsync(federation, parsed).ConfigureAwait(false) };
    }

    private static Func<SecureFedAdminClient, Task<object>> Revoke(CliArguments args)
    {
        string federation = Federation(args);
        uint id = (uint)args.Long("client-id", 0, 1, int.MaxValue);
        return async a =>
        {
            await a.RevokeAsync(federation, id).ConfigureAwait(false);
            return new { federation, revoked = id };
        };
    }

    private static Func<SecureFedAdminClient, Task<object>> Token(CliArguments args)
    {
        string federation = Federation(args);
        double seconds = args.Double("valid-seconds", 3600, 1, 30 * 86_400);
        return async a => await a.CreateEnrolmentTokenAsync(federation, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
    }

    private static Func<SecureFedAdminClient, Task<object>> Open(CliArguments args)
    {
        string scheme = args.Choice("scheme", Schemes.Masking, Schemes.Masking, Schemes.He);
        if (scheme == Schemes.He)
        {
            OpenRoundRequest he = ServeAdminHeRound.Request(args, Federation(args));
            return async a => await a.OpenRoundAsync(he).ConfigureAwait(false);
        }
        var request = new OpenRoundRequest
        {
            Federation = Federation(args),
            Vectors = [new VectorRequest { Length = args.Int("length", 0, 1, 1 << 28), Bits = args.Int("bits", 32, 1, 64) }],
            Threshold = args.String("threshold") is null ? null : args.Int("threshold", 0, 1, int.MaxValue),
            MinClients = args.String("min-clients") is null ? null : args.Int("min-clients", 0, 1, int.MaxValue),
            StageDeadlineSeconds = args.Double("deadline", 60, 0.001, 86_400),
        };
        if (request.Vectors[0].Length == 0)
        {
            throw new CliUsageException("--length is required");
        }
        return async a => await a.OpenRoundAsync(request).ConfigureAwait(false);
    }

    private static Func<SecureFedAdminClient, Task<object>> Status(CliArguments args)
    {
        string round = args.String("round") ?? throw new CliUsageException("--round is required");
        return async a => await a.GetRoundAsync(round).ConfigureAwait(false);
    }

    private static Func<SecureFedAdminClient, Task<object>> Abort(CliArguments args)
    {
        string round = args.String("round") ?? throw new CliUsageException("--round is required");
        return async a => await a.AbortRoundAsync(round).ConfigureAwait(false);
    }

    private static IdentityPublicKey ParseKey(string hex)
    {
        try
        {
            return IdentityPublicKey.Import(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new CliUsageException($"'{hex}' is not a 64-hex-digit Ed25519 public key");
        }
    }
}
