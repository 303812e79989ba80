using System.CommandLine;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin transcript ROUND --out FILE`: downloads a finished round's signed transcript.</summary>
internal sealed class ServeAdminTranscriptCommand : CliCommand
{
    private readonly Argument<string> _round = new("ROUND") { Description = "the round id (hex)" };
    private readonly Option<string> _out = CliOptions.RequiredText("--out", "FILE", "where to save the transcript");
    private readonly Option<Uri> _server = ServeAdminCredentials.ServerOption();
    private readonly Option<string?> _adminKey = ServeAdminCredentials.AdminKeyOption();
    private readonly Option<string?> _adminKeyFile = ServeAdminCredentials.AdminKeyFileOption();

    public override string Name => "serve admin transcript";

    public override string Description => "download a finished round's signed transcript (service started with --transcripts)";

    public override IEnumerable<Symbol> Symbols => [_round, _out, _server, _adminKey, _adminKeyFile];

    // The transcript is streamed to a file as it is, not printed as an admin client's JSON answer.
    public override int Run(ParseResult parse, CliConsole console)
    {
        Uri server = parse.GetRequiredValue(_server);
        string key = ServeAdminCredentials.Resolve(server, parse.GetValue(_adminKey), parse.GetValue(_adminKeyFile));
        return ServeAdminTranscript.Download(server, key, parse.GetRequiredValue(_round), parse.GetRequiredValue(_out), console.Output, console.Error);
    }
}
