using NSec.Cryptography;

namespace SecureFed.Primitives.Signatures;

/// <summary>A client's long-term Ed25519 identity public key (RFC 8032), 32 bytes.</summary>
public sealed class IdentityPublicKey : IEquatable<IdentityPublicKey>
{
    /// <summary>Encoded public key size (RFC 8032 section 5.1.5).</summary>
    public const int Size = 32;

    /// <summary>Ed25519 signature size (RFC 8032 section 5.1.6).</summary>
    public const int SignatureSize = 64;

    private readonly PublicKey _key;
    private readonly byte[] _bytes;

    private IdentityPublicKey(PublicKey key, byte[] bytes)
    {
        _key = key;
        _bytes = bytes;
    }

    /// <summary>Parses a raw 32-byte Ed25519 public key.</summary>
    /// <exception cref="FormatException">The bytes are not a valid Ed25519 public key.</exception>
    public static IdentityPublicKey Import(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != Size || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out PublicKey? key))
        {
            throw new FormatException($"not a valid {Size}-byte Ed25519 public key");
        }
        return new IdentityPublicKey(key!, raw.ToArray());
    }

    internal static IdentityPublicKey FromNSec(PublicKey key) =>
        new(key, key.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>The raw 32-byte encoding.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Checks an Ed25519 signature; false for any malformed or wrong signature (never throws).</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureSize && SignatureAlgorithm.Ed25519.Verify(_key, message, signature);

    /// <inheritdoc />
    public bool Equals(IdentityPublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdentityPublicKey);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <summary>Hex of the public key (public information).</summary>
    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
