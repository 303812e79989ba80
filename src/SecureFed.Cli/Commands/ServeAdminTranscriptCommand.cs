using System.CommandLine;
using SecureFed.Client;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin transcript ROUND --out FILE`: downloads a finished round's signed transcript.</summary>
internal sealed class ServeAdminTranscriptCommand : ServeAdminAction
{
    private readonly Argument<string> _round = new("ROUND") { Description = "the round id (hex)" };
    private readonly Option<string> _out = CliOptions.RequiredText("--out", "FILE", "where to save the transcript");

    public override string Name => "serve admin transcript";

    public override string Description => "download a finished round's signed transcript (service started with --transcripts)";

    protected override IEnumerable<Symbol> ActionSymbols => [_round, _out];

    public override int Run(ParseResult parse, CliConsole console)
    {
        (Uri server, string key) = Connection(parse);
        return ServeAdminTranscript.Download(server, key, parse.GetRequiredValue(_round), parse.GetRequiredValue(_out), console.Output, console.Error);
    }

    // The download streams bytes to a file rather than printing an admin client's JSON answer.
    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse) =>
        throw new NotSupportedException("transcript downloads run through Run");
}
