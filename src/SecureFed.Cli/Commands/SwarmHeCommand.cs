namespace SecureFed.Cli.Commands;

/// <summary>`securefed swarm --scheme he`: options of an HE swarm run, the run, and the summary (the masking swarm's lines plus attempts).</summary>
internal static class SwarmHeCommand
{
    public static int Run(CliArguments args, TextWriter output, TextWriter error)
    {
        Uri server = ServeAdminCredentials.ParseServer(args.String("server"));
        int clients = args.Int("clients", 50, 2, 100_000);
        int decryptors = args.Int("decryptors", 3, 1, Math.Min(clients, 1000));
        int? threshold = args.String("threshold") is null ? null : args.Int("threshold", 0, 1, decryptors);
        int length = args.Int("length", 1000, 1, 1 << 28);
        int bits = args.Int("bits", 32, 16, 64);
        double dropout = args.Double("dropout", 0, 0, 0.5);
        bool decryptorDropout = args.Flag("decryptor-dropout");
        double deadline = args.Double("deadline", 600, 0.1, 86_400);
        double decryptDeadline = args.Double("decrypt-deadline", deadline, 0.1, 86_400);
        SwarmSharedOptions shared = SwarmSharedOptions.Read(args, server);
        args.ThrowIfUnused();
        if (decryptorDropout && decryptors <= (threshold ?? decryptors / 2 + 1))
        {
            throw new CliUsageException("--decryptor-dropout needs more decryptors than the threshold (a retry set must exist)");
        }

        var plan = new SwarmHePlan(clients, decryptors, threshold, length, bits, (int)Math.Round((clients - decryptors) * dropout), decryptorDropout,
            deadline, decryptDeadline, shared.Seed);
        return SwarmConsole.RunAndPrint(new SwarmHeRun(server, shared.AdminKey, plan, shared.Json ? null : error).ExecuteAsync, shared.Json, output, error, report =>
        {
            output.WriteLine($"HE round {report.RoundId}: {report.Clients} clients x {report.Length} values ({report.Bits} bits), {report.Decryptors} decryptors (threshold {report.Threshold}), status {report.Status}");
            output.WriteLine($"  survivors {report.Survivors}, dropped {report.Dropped}, decryption attempts {report.Attempts}, clients failed {report.ClientsFailed}");
        });
    }
}
