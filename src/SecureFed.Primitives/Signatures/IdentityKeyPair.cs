using System.Security.Cryptography;
using NSec.Cryptography;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Primitives.Signatures;

/// <summary>
/// A client's long-term Ed25519 identity key pair. The private key stays inside NSec's secure memory and cannot be
/// exported (NSec's default export policy: none).
/// </summary>
public sealed class IdentityKeyPair : IDisposable
{
    /// <summary>Private key seed size (RFC 8032 section 5.1.5).</summary>
    public const int SeedSize = 32;

    private readonly Key _key;

    private IdentityKeyPair(Key key)
    {
        _key = key;
        PublicKey = IdentityPublicKey.FromNSec(key.PublicKey);
    }

    /// <summary>The public half.</summary>
    public IdentityPublicKey PublicKey { get; }

    /// <summary>Creates a key pair from 32 bytes of <paramref name="random"/>.</summary>
    public static IdentityKeyPair Generate(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> seed = stackalloc byte[SeedSize];
        try
        {
            random.Fill(seed);
            return FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Imports a key pair from its 32-byte RFC 8032 private seed (e.g. a key file or a test vector).</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static IdentityKeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"Ed25519 seed must be {SeedSize} bytes", nameof(seed));
        }
        return new IdentityKeyPair(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>Signs <paramref name="message"/> (Ed25519, 64-byte signature).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    /// <summary>Releases the private key.</summary>
    public void Dispose() => _key.Dispose();

    /// <summary>Shows only the public key.</summary>
    public override string ToString() => $"IdentityKeyPair(public {PublicKey})";
}
