using System.CommandLine;
using SecureFed.Client;

namespace SecureFed.Cli.Commands;

/// <summary>A `securefed serve admin` action on one round (--round ID): `status` and `abort`.</summary>
internal sealed class ServeAdminRoundCommand : ServeAdminAction
{
    private readonly Option<string> _round = RoundOption();
    private readonly Func<SecureFedAdminClient, string, Task<object>> _call;

    private ServeAdminRoundCommand(string name, string description, Func<SecureFedAdminClient, string, Task<object>> call)
    {
        Name = name;
        Description = description;
        _call = call;
    }

    /// <summary>`securefed serve admin status`: a round's status and, once completed, its sum.</summary>
    public static ServeAdminRoundCommand Status() => new("serve admin status", "a round's status and, once completed, its sum (JSON)",
        async (a, round) => await a.GetRoundAsync(round).ConfigureAwait(false));

    /// <summary>`securefed serve admin abort`: aborts a running round.</summary>
    public static ServeAdminRoundCommand Abort() => new("serve admin abort", "abort a running round (JSON)",
        async (a, round) => await a.AbortRoundAsync(round).ConfigureAwait(false));

    public override string Name { get; }

    public override string Description { get; }

    protected override IEnumerable<Symbol> ActionSymbols => [_round];

    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse)
    {
        string round = parse.GetRequiredValue(_round);
        return a => _call(a, round);
    }
}
