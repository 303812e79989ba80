using SecureFed.Primitives.Randomness;

namespace SecureFed.Cli.Commands;

/// <summary>The options both swarm schemes read last, in this order: --seed, --json and the admin key.</summary>
internal sealed record SwarmSharedOptions(long Seed, bool Json, string AdminKey)
{
    public static SwarmSharedOptions Read(CliArguments args, Uri server) => new(
        args.String("seed") is null ? (long)SystemRandomSource.Instance.NextUInt64() : args.Long("seed", 0),
        args.Flag("json"),
        ServeAdminCredentials.Resolve(server, args.String("admin-key"), args.String("admin-key-file")));
}
