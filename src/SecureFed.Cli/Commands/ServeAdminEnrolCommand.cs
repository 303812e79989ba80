using System.CommandLine;
using SecureFed.Client;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin enrol`: adds Ed25519 public keys to a federation's roster.</summary>
internal sealed class ServeAdminEnrolCommand : ServeAdminAction
{
    private readonly Option<string> _federation = FederationOption();
    private readonly Option<string> _keys = CliOptions.RequiredText("--public-keys", "HEX[,HEX...]", "Ed25519 public keys (64 hex digits each)");

    public override string Name => "serve admin enrol";

    public override string Description => "add Ed25519 keys to the roster; prints their client ids (JSON)";

    protected override IEnumerable<Symbol> ActionSymbols => [_federation, _keys];

    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse)
    {
        string federation = parse.GetRequiredValue(_federation);
        var parsed = parse.GetRequiredValue(_keys).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseKey).ToList();
        return async a => new { federation, clientIds = await a.EnrolKeysAsync(federation, parsed).ConfigureAwait(false) };
    }

    private static IdentityPublicKey ParseKey(string hex)
    {
        try
        {
            return IdentityPublicKey.Import(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new CliUsageException($"'{hex}' is not a 64-hex-digit Ed25519 public key");
        }
    }
}
