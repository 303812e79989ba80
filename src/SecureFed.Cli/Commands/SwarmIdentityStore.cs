using System.Security.Cryptography;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Cli.Commands;

/// <summary>A generated identity for one simulated swarm device, kept in memory and wiped on dispose.</summary>
internal sealed class SwarmIdentityStore : IIdentityKeyStore, IDisposable
{
    private readonly byte[] _seed = new byte[IdentityKeyPair.SeedSize];

    public SwarmIdentityStore(IRandomSource random)
    {
        random.Fill(_seed);
        using IdentityKeyPair k = IdentityKeyPair.FromSeed(_seed);
        PublicKey = IdentityPublicKey.Import(k.PublicKey.Bytes);
    }

    public IdentityPublicKey PublicKey { get; }

    public IdentityKeyPair LoadIdentity() => IdentityKeyPair.FromSeed(_seed);

    public void Dispose() => CryptographicOperations.ZeroMemory(_seed);
}
