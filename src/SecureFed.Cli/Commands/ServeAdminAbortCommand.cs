using System.CommandLine;
using SecureFed.Client;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin abort`: aborts a running round.</summary>
internal sealed class ServeAdminAbortCommand : ServeAdminAction
{
    private readonly Option<string> _round = RoundOption();

    public override string Name => "serve admin abort";

    public override string Description => "abort a running round (JSON)";

    protected override IEnumerable<Symbol> ActionSymbols => [_round];

    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse)
    {
        string round = parse.GetRequiredValue(_round);
        return async a => await a.AbortRoundAsync(round).ConfigureAwait(false);
    }
}
