using SecureFed.Client;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>A test key store: a fixed Ed25519 seed per simulated device.</summary>
public sealed class SeedKeyStore(byte[] seed) : IIdentityKeyStore
{
    public static SeedKeyStore For(string label, int index)
    {
        byte[] seed = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{label}/{index}"));
        return new SeedKeyStore(seed);
    }

    public IdentityKeyPair LoadIdentity() => IdentityKeyPair.FromSeed(seed);

    public IdentityPublicKey PublicKey()
    {
        using IdentityKeyPair k = LoadIdentity();
        return IdentityPublicKey.Import(k.PublicKey.Bytes);
    }
}
