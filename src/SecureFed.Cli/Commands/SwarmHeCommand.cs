using System.CommandLine;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed swarm --scheme he`: options of an HE swarm run, the run, and the summary (the masking swarm's lines plus attempts).</summary>
internal static class SwarmHeCommand
{
    public static int Run(ParseResult parse, SwarmOptions options, CliConsole console)
    {
        TextWriter output = console.Output, error = console.Error;
        Uri server = parse.GetRequiredValue(options.Server);
        int clients = parse.GetValue(options.Clients);
        int decryptors = parse.GetValue(options.Decryptors);
        if (decryptors > clients)
        {
            throw new CliUsageException($"--decryptors must be between 1 and {Math.Min(clients, 1000)} (--clients; got {decryptors})");
        }
        int? threshold = parse.GetValue(options.Threshold);
        if (threshold > decryptors)
        {
            throw new CliUsageException($"--threshold must be between 1 and {decryptors} (--decryptors; got {threshold})");
        }
        int length = parse.GetValue(options.Length);
        int bits = parse.GetValue(options.Bits);
        if (bits < 16)
        {
            throw new CliUsageException($"--bits must be between 16 and 64 for --scheme he (got {bits})");
        }
        double dropout = parse.GetValue(options.Dropout);
        bool decryptorDropout = parse.GetValue(options.DecryptorDropout);
        double deadline = parse.GetValue(options.Deadline);
        double decryptDeadline = parse.GetValue(options.DecryptDeadline) ?? deadline;
        SwarmSharedOptions shared = SwarmSharedOptions.Read(parse, options, server);
        if (decryptorDropout && decryptors <= (threshold ?? decryptors / 2 + 1))
        {
            throw new CliUsageException("--decryptor-dropout needs more decryptors than the threshold (a retry set must exist)");
        }

        var plan = new SwarmHePlan(clients, decryptors, threshold, length, bits, (int)Math.Round((clients - decryptors) * dropout), decryptorDropout,
            deadline, decryptDeadline, shared.Seed);
        CliProgress progress = console.Progress(quiet: shared.Json, totalClients: clients);
        return SwarmConsole.RunAndPrint(new SwarmHeRun(server, shared.AdminKey, plan, progress).ExecuteAsync, progress, shared.Json, output, error, report =>
        {
            output.WriteLine($"HE round {report.RoundId}: {report.Clients} clients x {report.Length} values ({report.Bits} bits), {report.Decryptors} decryptors (threshold {report.Threshold}), status {report.Status}");
            output.WriteLine($"  survivors {report.Survivors}, dropped {report.Dropped}, decryption attempts {report.Attempts}, clients failed {report.ClientsFailed}");
        });
    }
}
