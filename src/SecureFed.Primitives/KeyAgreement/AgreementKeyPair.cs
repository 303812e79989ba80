using System.Security.Cryptography;
using NSec.Cryptography;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Primitives.KeyAgreement;

/// <summary>
/// An ephemeral X25519 key pair (RFC 7748). Its private key is exportable because the protocol Shamir-shares
/// the mask key; <see cref="ExportPrivateKey"/> writes into caller-owned memory that the caller wipes.
/// </summary>
public sealed class AgreementKeyPair : IDisposable
{
    /// <summary>X25519 private and public key size (RFC 7748 section 5).</summary>
    public const int KeySize = 32;

    private static readonly KeyAgreementAlgorithm X25519 = KeyAgreementAlgorithm.X25519;
    private static readonly KeyDerivationAlgorithm Hkdf = KeyDerivationAlgorithm.HkdfSha256;
    private readonly Key _key;
    private readonly byte[] _public;

    private AgreementKeyPair(Key key)
    {
        _key = key;
        _public = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The raw 32-byte public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _public;

    /// <summary>Creates a key pair from 32 bytes of <paramref name="random"/>.</summary>
    public static AgreementKeyPair Generate(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> sk = stackalloc byte[KeySize];
        try
        {
            random.Fill(sk);
            return FromPrivateKey(sk);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sk);
        }
    }

    /// <summary>Imports a raw 32-byte X25519 private key (e.g. one reconstructed from Shamir shares).</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static AgreementKeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeySize)
        {
            throw new ArgumentException($"X25519 private key must be {KeySize} bytes", nameof(privateKey));
        }
        var p = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        return new AgreementKeyPair(Key.Import(X25519, privateKey, KeyBlobFormat.RawPrivateKey, in p));
    }

    /// <summary>True when <paramref name="publicKey"/> is a well-formed 32-byte X25519 public key.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == KeySize && NSec.Cryptography.PublicKey.TryImport(X25519, publicKey, KeyBlobFormat.RawPublicKey, out _);

    /// <summary>Writes the 32-byte private key (for Shamir sharing); the caller must wipe the destination.</summary>
    public void ExportPrivateKey(Span<byte> destination)
    {
        if (destination.Length != KeySize)
        {
            throw new ArgumentException($"destination must be {KeySize} bytes", nameof(destination));
        }
        byte[] raw = _key.Export(KeyBlobFormat.RawPrivateKey);
        raw.CopyTo(destination);
        CryptographicOperations.ZeroMemory(raw);
    }

    /// <summary>
    /// X25519 with <paramref name="peerPublicKey"/>, then HKDF-SHA256 (RFC 5869) with the given salt and info into
    /// <paramref name="output"/>. Returns false when the peer key is malformed or the shared secret is all-zero
    /// (a low-order point, RFC 7748 section 6.1).
    /// </summary>
    public bool TryDeriveSharedKey(ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        if (peerPublicKey.Length != KeySize ||
            !NSec.Cryptography.PublicKey.TryImport(X25519, peerPublicKey, KeyBlobFormat.RawPublicKey, out PublicKey? peer))
        {
            return false;
        }
        using SharedSecret? secret = X25519.Agree(_key, peer!);
        if (secret is null)
        {
            return false;
        }
        Hkdf.DeriveBytes(secret, salt, info, output);
        return true;
    }

    /// <summary>Releases the private key.</summary>
    public void Dispose() => _key.Dispose();

    /// <summary>Shows only the public key.</summary>
    public override string ToString() => $"AgreementKeyPair(public {Convert.ToHexStringLower(_public)})";
}
