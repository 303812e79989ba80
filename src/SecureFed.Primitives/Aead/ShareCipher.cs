using NSec.Cryptography;

namespace SecureFed.Primitives.Aead;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) for Shamir share bundles. Every key is derived for exactly one (sender,
/// receiver, session) message, so the all-zero 12-byte nonce is never reused under one key.
/// </summary>
public static class ShareCipher
{
    private static readonly AeadAlgorithm Algorithm = AeadAlgorithm.ChaCha20Poly1305;

    /// <summary>Key size (RFC 8439 section 2.8).</summary>
    public const int KeySize = 32;

    /// <summary>Authentication tag size (RFC 8439 section 2.8).</summary>
    public const int TagSize = 16;

    /// <summary>Encrypts <paramref name="plaintext"/>; the result is ciphertext || tag.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        using Key k = ImportKey(key);
        Span<byte> nonce = stackalloc byte[Algorithm.NonceSize];
        nonce.Clear();
        return Algorithm.Encrypt(k, nonce, associatedData, plaintext);
    }

    /// <summary>
    /// Decrypts and authenticates; returns false (and writes nothing meaningful) when the tag does not verify.
    /// <paramref name="plaintext"/> must be <c>ciphertext.Length - 16</c> bytes.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (ciphertext.Length < TagSize || plaintext.Length != ciphertext.Length - TagSize)
        {
            return false;
        }
        using Key k = ImportKey(key);
        Span<byte> nonce = stackalloc byte[Algorithm.NonceSize];
        nonce.Clear();
        return Algorithm.Decrypt(k, nonce, associatedData, ciphertext, plaintext);
    }

    private static Key ImportKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AEAD key must be {KeySize} bytes", nameof(key));
        }
        return Key.Import(Algorithm, key, KeyBlobFormat.RawSymmetricKey);
    }
}
