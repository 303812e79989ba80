using System.CommandLine;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Cli.Commands;

/// <summary>The options both swarm schemes share: the seed, --json and the admin key.</summary>
internal sealed record SwarmSharedOptions(long Seed, bool Json, string AdminKey)
{
    public static SwarmSharedOptions Read(ParseResult parse, SwarmOptions options, Uri server) => new(
        parse.GetValue(options.Seed) ?? (long)SystemRandomSource.Instance.NextUInt64(),
        parse.GetValue(options.Json),
        ServeAdminCredentials.Resolve(server, parse.GetValue(options.AdminKey), parse.GetValue(options.AdminKeyFile)));
}
