using System.Security.Cryptography;

namespace SecureFed.Primitives.Aead;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439, through System.Security.Cryptography) for Shamir share bundles. Every key is derived
/// for exactly one (sender, receiver, session) message, so the all-zero 12-byte nonce is never reused under one key.
/// </summary>
public static class ShareCipher
{
    /// <summary>Key size (RFC 8439 section 2.8).</summary>
    public const int KeySize = 32;

    /// <summary>Authentication tag size (RFC 8439 section 2.8).</summary>
    public const int TagSize = 16;

    private const int NonceSize = 12;

    /// <summary>Encrypts <paramref name="plaintext"/>; the result is ciphertext || tag.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        CheckKey(key);
        var output = new byte[plaintext.Length + TagSize];
        using var aead = new ChaCha20Poly1305(key);
        aead.Encrypt(stackalloc byte[NonceSize], plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), associatedData);
        return output;
    }

    /// <summary>
    /// Decrypts and authenticates (the tag is compared in constant time by the platform); returns false, with the
    /// plaintext wiped, when the tag does not verify. <paramref name="plaintext"/> must be <c>ciphertext.Length - 16</c> bytes.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        CheckKey(key);
        if (ciphertext.Length < TagSize || plaintext.Length != ciphertext.Length - TagSize)
        {
            return false;
        }
        using var aead = new ChaCha20Poly1305(key);
        try
        {
            aead.Decrypt(stackalloc byte[NonceSize], ciphertext[..^TagSize], ciphertext[^TagSize..], plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AEAD key must be {KeySize} bytes", nameof(key));
        }
    }
}
