using System.CommandLine;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// The graph options of a hosted masking round (`serve admin open`, `swarm`), named as `simulate` and `plan` name
/// them; they fill the request's Graph object (secagg.md 6.2), and options not given keep the service's defaults.
/// </summary>
internal sealed class RoundGraphOptionSet
{
    public Option<string> Graph { get; } = CliOptions.Choice("--graph",
        "neighbour graph: harary (the SecAgg+ finder's k, the complete graph where it finds none smaller) or complete", "harary", "harary", "complete");

    public Option<double?> Gamma { get; } = CliOptions.OptionalDouble("--gamma", "G", "fraction of corrupt clients the graph must tolerate (service default 0.05)", 0, 0.99);

    public Option<double?> Delta { get; } = CliOptions.OptionalDouble("--delta", "D", "fraction of dropouts the graph must tolerate (service default 0.1)", 0, 0.99);

    public Option<string> Adversary { get; } = CliOptions.Choice("--adversary", "server model the graph must resist",
        GraphRequest.HonestButCurious, GraphRequest.HonestButCurious, GraphRequest.SemiMalicious);

    public Option<int?> SecurityBits { get; } = CliOptions.OptionalInt("--security-bits", "S", "graph privacy failure at most 2^-S (default 40)", 1, 128);

    public Option<int?> CorrectnessBits { get; } = CliOptions.OptionalInt("--correctness-bits", "C", "graph correctness failure at most 2^-C (default 20)", 1, 128);

    public IEnumerable<Option> All => [Graph, Gamma, Delta, Adversary, SecurityBits, CorrectnessBits];

    /// <summary>The request's Graph object; <paramref name="defaultDelta"/> stands in for a missing --delta when given.</summary>
    public GraphRequest Read(ParseResult parse, double? defaultDelta = null) => new()
    {
        Kind = parse.GetValue(Graph) == "complete" ? GraphRequest.Complete : GraphRequest.Finder,
        CorruptFraction = parse.GetValue(Gamma),
        DropoutFraction = parse.GetValue(Delta) ?? defaultDelta,
        Adversary = parse.GetValue(Adversary),
        SecurityBits = parse.GetValue(SecurityBits),
        CorrectnessBits = parse.GetValue(CorrectnessBits),
    };

}
