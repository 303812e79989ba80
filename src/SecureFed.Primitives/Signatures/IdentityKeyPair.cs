using System.Security.Cryptography;
using NSec.Cryptography;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Primitives.Signatures;

/// <summary>
/// A client's long-term Ed25519 identity key pair. The private key stays inside NSec's secure memory; it can
/// be exported only when created with <c>exportable: true</c> (the simulator's auditor key file).
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
    public static IdentityKeyPair Generate(IRandomSource random, bool exportable = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> seed = stackalloc byte[SeedSize];
        try
        {
            random.Fill(seed);
            return FromSeed(seed, exportable);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Imports a key pair from its 32-byte RFC 8032 private seed (e.g. a key file or a test vector).</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static IdentityKeyPair FromSeed(ReadOnlySpan<byte> seed, bool exportable = false)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"Ed25519 seed must be {SeedSize} bytes", nameof(seed));
        }
        var parameters = new KeyCreationParameters
        {
            ExportPolicy = exportable ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None,
        };
        return new IdentityKeyPair(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, in parameters));
    }

    /// <summary>Signs <paramref name="message"/> (Ed25519, 64-byte signature).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    /// <summary>Exports the 32-byte private seed; only for keys created exportable (auditor key files).</summary>
    /// <exception cref="InvalidOperationException">The key was not created exportable.</exception>
    public void ExportSeed(Span<byte> destination)
    {
        if (destination.Length != SeedSize)
        {
            throw new ArgumentException($"destination must be {SeedSize} bytes", nameof(destination));
        }
        byte[] raw = _key.Export(KeyBlobFormat.RawPrivateKey);
        raw.CopyTo(destination);
        CryptographicOperations.ZeroMemory(raw);
    }

    /// <summary>Releases the private key.</summary>
    public void Dispose() => _key.Dispose();

    /// <summary>Shows only the public key.</summary>
    public override string ToString() => $"IdentityKeyPair(public {PublicKey})";
}
