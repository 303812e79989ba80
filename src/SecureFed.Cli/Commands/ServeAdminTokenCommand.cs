using System.CommandLine;
using SecureFed.Client;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin token`: a one-time enrolment token a device redeems itself.</summary>
internal sealed class ServeAdminTokenCommand : ServeAdminAction
{
    private readonly Option<string> _federation = FederationOption();
    private readonly Option<double> _valid = CliOptions.Double("--valid-seconds", "S", "how long the token is valid", 3600, 1, 30 * 86_400);

    public override string Name => "serve admin token";

    public override string Description => "one-time enrolment token (JSON)";

    protected override IEnumerable<Symbol> ActionSymbols => [_federation, _valid];

    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse)
    {
        string federation = parse.GetRequiredValue(_federation);
        double seconds = parse.GetValue(_valid);
        return async a => await a.CreateEnrolmentTokenAsync(federation, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
    }
}
