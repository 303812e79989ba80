using System.Collections.Frozen;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;

namespace SecureFed.Transport;

/// <summary>
/// The one place the transport's typed values get their wire strings (protocol-spec/transport.md, sections 2 and 4):
/// round schemes, round statuses and problem codes. Code branches on the enums, never on the strings.
/// </summary>
public static class WireNames
{
    private static readonly FrozenDictionary<RoundScheme, string> SchemeNames = new Dictionary<RoundScheme, string>
    {
        [RoundScheme.Masking] = Schemes.Masking,
        [RoundScheme.He] = Schemes.He,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<RoundPhase, string> PhaseNames = new Dictionary<RoundPhase, string>
    {
        [RoundPhase.Running] = "running",
        [RoundPhase.Completed] = "completed",
        [RoundPhase.Aborted] = "aborted",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<ProblemCode, string> ProblemNames = Enum.GetValues<ProblemCode>()
        .Where(c => c != ProblemCode.Unknown)
        .ToFrozenDictionary(c => c, Kebab);

    private static readonly FrozenDictionary<string, RoundScheme> SchemesByName = SchemeNames.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, RoundPhase> PhasesByName = PhaseNames.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, ProblemCode> ProblemsByName = ProblemNames.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    /// <summary>The scheme's wire name: <c>masking</c> or <c>he</c>.</summary>
    public static string Of(RoundScheme scheme) => SchemeNames[scheme];

    /// <summary>The status's wire name: <c>running</c>, <c>completed</c> or <c>aborted</c>.</summary>
    public static string Of(RoundPhase phase) => PhaseNames[phase];

    /// <summary>The neighbour graph's wire name in round status: <c>complete</c> or <c>harary</c> (SecAgg+).</summary>
    public static string Of(GraphKind graph) => graph switch
    {
        GraphKind.Complete => "complete",
        GraphKind.Harary => "harary",
        _ => throw new ArgumentOutOfRangeException(nameof(graph), graph, "no wire name"),
    };

    /// <summary>The problem code's wire name, e.g. <c>wrong-stage</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ProblemCode.Unknown"/> has no wire name.</exception>
    public static string Of(ProblemCode code) =>
        ProblemNames.TryGetValue(code, out string? name) ? name : throw new ArgumentOutOfRangeException(nameof(code), code, "no wire name");

    /// <summary>The scheme a wire name stands for; a missing name is <see cref="RoundScheme.Masking"/> (transport.md 2.1).</summary>
    public static bool TryParseScheme(string? name, out RoundScheme scheme)
    {
        if (string.IsNullOrEmpty(name))
        {
            scheme = RoundScheme.Masking;
            return true;
        }
        return SchemesByName.TryGetValue(name, out scheme);
    }

    /// <summary>The status a wire name stands for.</summary>
    /// <exception cref="FormatException">Not a status.</exception>
    public static RoundPhase ParsePhase(string? name) =>
        name is not null && PhasesByName.TryGetValue(name, out RoundPhase phase) ? phase : throw new FormatException($"'{name}' is not a round status");

    /// <summary>The problem code a wire name stands for, or <see cref="ProblemCode.Unknown"/>.</summary>
    public static ProblemCode ParseProblem(string? name) =>
        name is not null && ProblemsByName.TryGetValue(name, out ProblemCode code) ? code : ProblemCode.Unknown;

    // WrongStage -> "wrong-stage": the problem codes are the enum names in kebab case, so the table cannot drift.
    private static string Kebab(ProblemCode code)
    {
        string name = code.ToString();
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }
}
