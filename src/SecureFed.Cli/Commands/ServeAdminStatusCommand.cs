using System.CommandLine;
using SecureFed.Client;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin status`: a round's status and, once completed, its sum.</summary>
internal sealed class ServeAdminStatusCommand : ServeAdminAction
{
    private readonly Option<string> _round = RoundOption();

    public override string Name => "serve admin status";

    public override string Description => "a round's status and, once completed, its sum (JSON)";

    protected override IEnumerable<Symbol> ActionSymbols => [_round];

    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse)
    {
        string round = parse.GetRequiredValue(_round);
        return async a => await a.GetRoundAsync(round).ConfigureAwait(false);
    }
}
