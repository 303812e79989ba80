using System.CommandLine;

namespace SecureFed.Cli.Commands;

/// <summary>The options of `securefed swarm`, both schemes (ranges that depend on the scheme are checked when read).</summary>
internal sealed class SwarmOptions
{
    public Option<Uri> Server { get; } = ServeAdminCredentials.ServerOption();

    /// <summary>More front ends of the same aggregator (a cluster's silos): the devices spread over --server and these.</summary>
    public Option<string?> AlsoServers { get; } = CliOptions.Text("--also-server", "URL[,URL...]",
        "more front ends of the same aggregator (the silos of `serve --cluster`): devices are spread round-robin over --server and these, " +
        "and a device whose front end refuses connections moves to the next; admin calls go to --server");

    public Option<string> Scheme { get; } = CliOptions.Choice("--scheme", "the round's scheme", "masking", "masking", "he");

    public Option<int> Clients { get; } = CliOptions.Int("--clients", "N", "devices in the round", 50, 2, 100_000);

    public Option<int> Length { get; } = CliOptions.Int("--length", "M", "values per device", 1000, 1, 1 << 28);

    public Option<int> Bits { get; } = CliOptions.Int("--bits", "B", "modulus 2^B (HE: 16..64; inputs are drawn so the sum of all devices cannot wrap)", 32, 1, 64);

    public Option<double> Dropout { get; } = CliOptions.Double("--dropout", "FRACTION",
        "this fraction of devices goes offline before sending its masked input (HE: of the non-decrypting devices, before uploading)", 0, 0, 0.5);

    public Option<int?> Threshold { get; } = CliOptions.OptionalInt("--threshold", "T", "Shamir threshold (HE: decryption shares needed); default: a strict majority", 1, 100_000);

    public Option<double> Deadline { get; } = CliOptions.Double("--deadline", "SECONDS", "deadline of every stage (stages close early once all have sent)", 600, 0.1, 86_400);

    public Option<double[]?> Deadlines { get; } = CliOptions.DoubleList("--deadlines", "S0,S1,...",
        "per-stage deadlines in seconds (masking: 5, R0..R4; HE: 4, H0..H3), instead of --deadline", 0.1, 86_400);

    public Option<long?> Seed { get; } = CliOptions.OptionalLong("--seed", "S", "inputs from this seed (default: random)");

    public Option<int> Decryptors { get; } = CliOptions.Int("--decryptors", "D", "HE: the first D devices also decrypt", 3, 1, 1000);

    public Option<bool> DecryptorDropout { get; } = CliOptions.Flag("--decryptor-dropout", "HE: the first decryptor asked for a share goes silent; the server retries (needs D > T)");

    public Option<double?> DecryptDeadline { get; } = CliOptions.OptionalDouble("--decrypt-deadline", "S", "HE: deadline of each decryption attempt (default: --deadline)", 0.1, 86_400);

    public Option<string?> AdminKey { get; } = ServeAdminCredentials.AdminKeyOption();

    public Option<string?> AdminKeyFile { get; } = ServeAdminCredentials.AdminKeyFileOption();

    /// <summary>Masking: the graph options of `serve admin open` (--delta defaults to max(--dropout, 0.1), as in simulate).</summary>
    public RoundGraphOptionSet Graph { get; } = new();

    /// <summary>The round's quiet close rule (either scheme; default off).</summary>
    public QuietCloseOptionSet QuietClose { get; } = new();

    public Option<bool> Json { get; } = CliOptions.Flag("--json", "print one JSON object (and no progress)");

    /// <summary>A distributed-DP float round instead of an integer one (either scheme).</summary>
    public Option<double?> DpEpsilon { get; } = CliOptions.OptionalDouble("--dp-epsilon", "E",
        "a distributed-DP float round of target epsilon E (clip norm 1; the fresh federation's budget is set to 2E first): devices send float " +
        "updates; the check is the noisy average within the noise of the true one and exactly one ledger charge for the round, equal to its epsilon", 1e-9, 1e6);

    public IEnumerable<Symbol> All =>
        [Server, AlsoServers, Scheme, Clients, Length, Bits, Dropout, Threshold, Deadline, Deadlines, Seed, Decryptors, DecryptorDropout, DecryptDeadline, .. Graph.All, .. QuietClose.All, AdminKey, AdminKeyFile, Json, DpEpsilon];

    /// <summary>Refuses the HE-only options in a masking run.</summary>
    public void RejectHeOptions(ParseResult parse) => CliOptions.Refuse(parse, [Decryptors, DecryptorDropout, DecryptDeadline], "applies to --scheme he only");
}
