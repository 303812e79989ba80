using System.CommandLine;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The quiet close rule of a hosted round (`serve admin open`, `swarm`): a stage also closes before its deadline once a
/// quorum has sent and nothing arrived for the quiet period. Off unless given; the service checks the values (400
/// invalid-configuration naming the field), so the ranges here only catch typos early.
/// </summary>
internal sealed class QuietCloseOptionSet
{
    public Option<double?> Seconds { get; } = CliOptions.OptionalDouble("--quiet-close", "SECONDS",
        "close a stage early once a quorum has sent and no message arrived for SECONDS (every stage; default off)", 0.001, 86_400);

    public Option<double[]?> PerStage { get; } = CliOptions.DoubleList("--quiet-closes", "S0,S1,...",
        "per-stage quiet periods in seconds, 0 = off for that stage (masking: R0..R4; HE: H0..H3), instead of --quiet-close", 0, 86_400);

    public Option<double?> Quorum { get; } = CliOptions.OptionalDouble("--quiet-quorum", "FRACTION",
        "the quiet close quorum as a fraction of the stage's expected senders (never below the round's threshold and minimum clients)", 1e-9, 1);

    public IEnumerable<Option> All => [Seconds, PerStage, Quorum];

    /// <summary>The rule as given (null when none of the options was).</summary>
    public QuietCloseChoice? Read(ParseResult parse) =>
        parse.GetValue(Seconds) is null && parse.GetValue(PerStage) is null && parse.GetValue(Quorum) is null
            ? null
            : new QuietCloseChoice(parse.GetValue(Seconds), parse.GetValue(PerStage), parse.GetValue(Quorum));
}

/// <summary>A quiet close rule chosen on the command line, copied into an open-round request.</summary>
internal sealed record QuietCloseChoice(double? Seconds, double[]? PerStage, double? Quorum)
{
    public void Apply(OpenRoundRequest request)
    {
        request.QuietCloseSeconds = Seconds;
        request.StageQuietCloseSeconds = PerStage is { } list ? [.. list] : null;
        request.QuietCloseQuorum = Quorum;
    }
}
