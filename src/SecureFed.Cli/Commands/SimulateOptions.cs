using System.CommandLine;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The options of `securefed simulate`, both schemes. Ranges that differ by scheme or depend on another option
/// (the threshold on the clients, the decryptors on the clients) are checked when the scheme reads them.
/// </summary>
internal sealed class SimulateOptions
{
    public Option<int> Clients { get; } = CliOptions.Int("--clients", "N", "clients in the round (masking: at least 3)", 100, 1, 100_000);

    public Option<int> Length { get; } = CliOptions.Int("--length", "M", "values per client (HE: at most 10,000,000)", 10_000, 1, Protocol.Configuration.RoundParameters.MaxVectorLength);

    public Option<int> Bits { get; } = CliOptions.Int("--bits", "B", "modulus 2^B, 16..64", 32, 16, 64);

    public Option<double> Dropout { get; } = CliOptions.Double("--dropout", "FRACTION", "fraction of clients that drop out", 0, 0, 1);

    public Option<string> DropStage { get; } = CliOptions.Choice("--drop-stage", "when they drop", "masked-input",
        "advertise", "share", "masked-input", "consistency", "unmasking", "r0", "r1", "r2", "r3", "r4");

    public Option<string> Graph { get; } = CliOptions.Choice("--graph",
        "neighbour graph (harary: SecAgg+, falling back to complete where the finder says so)", "harary", "harary", "complete");

    public Option<double> Gamma { get; } = CliOptions.Double("--gamma", "G", "fraction of corrupt clients the graph must tolerate", 0.05, 0, 0.99);

    public Option<double?> Delta { get; } = CliOptions.OptionalDouble("--delta", "D", "fraction of dropouts the graph must tolerate (default: max(--dropout, 0.1))", 0, 0.99);

    public Option<int?> Threshold { get; } = CliOptions.OptionalInt("--threshold", "T",
        "Shamir threshold (default: the finder's); with --scheme he: decryptors needed to decrypt (default D/2 + 1)", 1, 100_000);

    public Option<double> ClipRange { get; } = CliOptions.Double("--clip-range", "R", "inputs are uniform in [-R, R] and clipped there", 1.0, double.Epsilon, 1e12);

    public Option<long?> Seed { get; } = CliOptions.OptionalLong("--seed", "S", "reproducible keys, inputs and dropouts (tests only: not a CSPRNG)");

    public Option<string> Scheme { get; } = CliOptions.Choice("--scheme", "protection scheme", "masking", "masking", "he");

    public Option<double?> DpEpsilon { get; } = CliOptions.OptionalDouble("--dp-epsilon", "E", "add distributed DP (discrete Gaussian) for a target epsilon per round", 1e-6, 1e6);

    public Option<double> DpDelta { get; } = CliOptions.Double("--dp-delta", "D", "DP delta", 1e-5, 1e-300, 0.5);

    public Option<double> Clip { get; } = CliOptions.Double("--clip", "C", "L2 clip norm of each update under DP", 1.0, 1e-12, 1e12);

    public Option<int> ClientThreads { get; } = CliOptions.Int("--client-threads", "N", "cores each simulated client uses (1: clients run side by side)", 1, 1, 256);

    public Option<int?> Decryptors { get; } = CliOptions.OptionalInt("--decryptors", "D", "HE: key-holding decryptors, the first D clients (default min(clients, 50))", 1, 1000);

    public Option<int?> MinClients { get; } = CliOptions.OptionalInt("--min-clients", "M", "HE: fewest uploads a decryptor accepts in an aggregate (default clients/2 + 1)", 1, 100_000);

    public Option<double> DecryptorDropout { get; } = CliOptions.Double("--decryptor-dropout", "F", "HE: fraction of decryptors that drop out", 0, 0, 1);

    public Option<string> DecryptorDropoutStage { get; } = CliOptions.Choice("--decryptor-dropout-stage",
        "HE: when decryptors drop (decrypt triggers a retry with another set)", "decrypt", "advertise", "keygen", "decrypt");

    public Option<int> MaxDecryptionAttempts { get; } = CliOptions.Int("--max-decryption-attempts", "K", "HE: decryption requests a decryptor answers per round", 2, 1, 8);

    public Option<int> Lanes { get; } = CliOptions.Int("--lanes", "L", "HE: values packed per plaintext coefficient; 0 = the plan picks the smallest upload", 0, 0, 4);

    public Option<int> Bodies { get; } = CliOptions.Int("--bodies", "B", "HE: ciphertext bodies sharing one mask; 0 = the plan picks the smallest upload", 0, 0, 16);

    public Option<string> Degree { get; } = CliOptions.Choice("--degree", "HE: ring size", "auto", "auto", "4096", "8192", "16384", "32768");

    public Option<bool> Json { get; } = CliOptions.Flag("--json", "print one JSON object instead of text (and no progress)");

    public Option<string?> Transcript { get; } = CliOptions.Text("--transcript", "FILE", "write the round's signed, hash-chained transcript (protocol-spec/transcript.md)");

    public Option<string?> Keys { get; } = CliOptions.Text("--keys", "FILE",
        "also write the auditor's key file (clients' secrets and inputs; sample runs only; implies a seed; with --scheme he: the uploading clients' plaintext inputs, no seed implied)");

    public IEnumerable<Symbol> All =>
    [
        Clients, Length, Bits, Dropout, DropStage, Graph, Gamma, Delta, Threshold, ClipRange, Seed, Scheme, DpEpsilon, DpDelta, Clip, ClientThreads,
        Decryptors, MinClients, DecryptorDropout, DecryptorDropoutStage, MaxDecryptionAttempts, Lanes, Bodies, Degree, Json, Transcript, Keys,
    ];

    /// <summary>Refuses options the chosen scheme does not use (a misplaced option is usually a mistake).</summary>
    public void RejectOtherScheme(ParseResult parse, bool he)
    {
        Option[] notUsed = he
            ? [Graph, Gamma, Delta, DropStage, ClientThreads]
            : [Decryptors, MinClients, DecryptorDropout, DecryptorDropoutStage, MaxDecryptionAttempts, Lanes, Bodies, Degree];
        CliOptions.Refuse(parse, notUsed, $"does not apply to --scheme {(he ? "he" : "masking")}");
    }

    /// <summary>Checks a value against a range that depends on the scheme or another option.</summary>
    public static int InRange(int value, string option, int min, int max, string why = "") =>
        value >= min && value <= max ? value : throw new CliUsageException($"{option} must be between {min} and {max}{why} (got {value})");
}
