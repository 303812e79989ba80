using System.CommandLine;
using SecureFed.Client;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin revoke`: refuses a client's key from now on.</summary>
internal sealed class ServeAdminRevokeCommand : ServeAdminAction
{
    private readonly Option<string> _federation = FederationOption();
    private readonly Option<long> _clientId = CliOptions.Long("--client-id", "N", "the client id to revoke", 0, 1, int.MaxValue);

    public override string Name => "serve admin revoke";

    public override string Description => "refuse a key from now on (JSON)";

    protected override IEnumerable<Symbol> ActionSymbols => [_federation, _clientId];

    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse)
    {
        string federation = parse.GetRequiredValue(_federation);
        if (!CliOptions.Given(parse, _clientId))
        {
            throw new CliUsageException("--client-id is required");
        }
        uint id = (uint)parse.GetValue(_clientId);
        return async a =>
        {
            await a.RevokeAsync(federation, id).ConfigureAwait(false);
            return new { federation, revoked = id };
        };
    }
}
