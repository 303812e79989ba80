namespace SecureFed.Cli.Commands;

/// <summary>
/// `securefed swarm`: a load generator. Opens a round on a running aggregator, enrols N generated identities,
/// runs N real clients concurrently over HTTP with known inputs and checks the server's sum against them.
/// </summary>
internal sealed class SwarmCommand : ICliCommand
{
    public string Name => "swarm";

    public string Summary => "run N clients concurrently against an aggregator and check the sum";

    public string Usage => $"""
        usage: securefed swarm [options]
          --server URL            the aggregator (default {ServeCommand.DefaultUrl})
          --scheme masking|he     the round's scheme (default masking)
          --clients N             devices in the round (default 50)
          --length M              values per device (default 1000)
          --bits B                modulus 2^B (default 32)
          --dropout FRACTION      this fraction of devices goes offline before sending its masked input (default 0)
          --threshold T           Shamir threshold (default: a strict majority)
          --deadline SECONDS      deadline of every stage (default 600; stages close early once all have sent)
          --seed S                inputs from this seed (default: random)
        HE rounds (--scheme he):
          --decryptors D          the first D devices also decrypt (default 3)
          --threshold T           decryption shares needed (default: a strict majority of D)
          --dropout FRACTION      this fraction of the non-decrypting devices goes offline before uploading
          --decryptor-dropout     the first decryptor asked for a share goes silent; the server retries (needs D > T)
          --decrypt-deadline S    deadline of each decryption attempt (default: --deadline)
          --bits B                16..64 (inputs are drawn so the sum of all devices cannot wrap)
          --admin-key HEX | --admin-key-file FILE
                                  the admin key (default for a loopback server: ./securefed-admin.key)
          --json                  print one JSON object
        exit code: 0 when the server's sum equals the sum of the surviving devices' inputs, 1 otherwise
        """;

    public int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        if (args.Choice("scheme", "masking", "masking", "he") == "he")
        {
            return SwarmHeCommand.Run(args, output, error);
        }
        Uri server = ServeAdminCredentials.ParseServer(args.String("server"));
        int clients = args.Int("clients", 50, 2, 100_000);
        int length = args.Int("length", 1000, 1, 1 << 28);
        int bits = args.Int("bits", 32, 1, 64);
        double dropout = args.Double("dropout", 0, 0, 0.5);
        int? threshold = args.String("threshold") is null ? null : args.Int("threshold", 0, 1, clients);
        double deadline = args.Double("deadline", 600, 0.1, 86_400);
        SwarmSharedOptions shared = SwarmSharedOptions.Read(args, server);
        args.ThrowIfUnused();

        var plan = new SwarmPlan(clients, length, bits, (int)Math.Round(clients * dropout), threshold, deadline, shared.Seed);
        return SwarmConsole.RunAndPrint(new SwarmRun(server, shared.AdminKey, plan, shared.Json ? null : error).ExecuteAsync, shared.Json, output, error, report =>
        {
            output.WriteLine($"round {report.RoundId}: {report.Clients} clients x {report.Length} values ({report.Bits} bits), status {report.Status}");
            output.WriteLine($"  survivors {report.Survivors}, dropped {report.Dropped}, clients failed {report.ClientsFailed}");
        });
    }
}
