using System.CommandLine;
using System.Text.Json;
using SecureFed.Client;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>
/// A `securefed serve admin ACTION` command: the options every action shares (--server and the admin key), a
/// call through <see cref="SecureFedAdminClient"/>, and its answer printed as JSON.
/// </summary>
internal abstract class ServeAdminAction : CliCommand
{
    private readonly Option<Uri> _server = ServeAdminCredentials.ServerOption();
    private readonly Option<string?> _adminKey = ServeAdminCredentials.AdminKeyOption();
    private readonly Option<string?> _adminKeyFile = ServeAdminCredentials.AdminKeyFileOption();

    /// <summary>The action's own options and arguments.</summary>
    protected abstract IEnumerable<Symbol> ActionSymbols { get; }

    public sealed override IEnumerable<Symbol> Symbols => [.. ActionSymbols, _server, _adminKey, _adminKeyFile];

    public override int Run(ParseResult parse, CliConsole console)
    {
        Uri server = parse.GetRequiredValue(_server);
        Func<SecureFedAdminClient, Task<object>> action = Prepare(parse);
        string key = ServeAdminCredentials.Resolve(server, parse.GetValue(_adminKey), parse.GetValue(_adminKeyFile));
        using var admin = new SecureFedAdminClient(server, key);
        try
        {
            Print(action(admin).GetAwaiter().GetResult(), parse, console);
            return 0;
        }
        catch (RequestRefusedException e)
        {
            console.Error.WriteLine($"securefed {Name}: {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            console.Error.WriteLine($"securefed {Name}: cannot reach {server}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Reads the action's options (usage errors surface here, before any request) and returns the call.</summary>
    protected abstract Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse);

    /// <summary>Prints the call's answer: as JSON unless the action has a table of its own.</summary>
    protected virtual void Print(object result, ParseResult parse, CliConsole console) =>
        console.Output.WriteLine(JsonSerializer.Serialize(result, AdminJson.Options));

    /// <summary>--federation F, required by the roster and round actions.</summary>
    protected static Option<string> FederationOption() => CliOptions.RequiredText("--federation", "F", "the federation");

    /// <summary>--round ID.</summary>
    protected static Option<string> RoundOption() => CliOptions.RequiredText("--round", "ID", "the round id");
}
