using System.Security.Cryptography;
using SecureFed.Primitives.KeyAgreement;

namespace SecureFed.Primitives.Aead;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) for Shamir share bundles, computed by libsodium's IETF construction; the bytes equal
/// System.Security.Cryptography.ChaCha20Poly1305's (tests compare them), which would set up an OpenSSL cipher context
/// per call. Every key is derived for exactly one (sender, receiver, session) message, so the all-zero 12-byte nonce
/// is never reused under one key. Thread-safe.
/// </summary>
public static unsafe class ShareCipher
{
    /// <summary>Key size (RFC 8439 section 2.8).</summary>
    public const int KeySize = 32;

    /// <summary>Authentication tag size (RFC 8439 section 2.8).</summary>
    public const int TagSize = 16;

    // RFC 8439 section 2.8: 96-bit nonce; all zero here (one message per key).
    private const int NonceSize = 12;

    /// <summary>Encrypts <paramref name="plaintext"/>; the result is ciphertext || tag.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        CheckKey(key);
        var output = new byte[plaintext.Length + TagSize];
        Span<byte> nonce = stackalloc byte[NonceSize];
        nonce.Clear();
        int rc;
        fixed (byte* c = output)
        fixed (byte* m = plaintext)
        fixed (byte* ad = associatedData)
        fixed (byte* n = nonce)
        fixed (byte* k = key)
        {
            rc = Sodium.crypto_aead_chacha20poly1305_ietf_encrypt_detached(c, c + plaintext.Length, null,
                m, (ulong)plaintext.Length, ad, (ulong)associatedData.Length, null, n, k);
        }
        if (rc != 0)
        {
            throw new CryptographicException("ChaCha20-Poly1305 encryption failed");
        }
        return output;
    }

    /// <summary>
    /// Decrypts and authenticates (libsodium compares the tag in constant time before decrypting); returns false, with
    /// the plaintext wiped, when the tag does not verify. <paramref name="plaintext"/> must be
    /// <c>ciphertext.Length - 16</c> bytes, else the result is false.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        CheckKey(key);
        if (ciphertext.Length < TagSize || plaintext.Length != ciphertext.Length - TagSize)
        {
            return false;
        }
        Span<byte> nonce = stackalloc byte[NonceSize];
        nonce.Clear();
        int rc;
        fixed (byte* m = plaintext)
        fixed (byte* c = ciphertext)
        fixed (byte* ad = associatedData)
        fixed (byte* n = nonce)
        fixed (byte* k = key)
        {
            rc = Sodium.crypto_aead_chacha20poly1305_ietf_decrypt_detached(m, null,
                c, (ulong)plaintext.Length, c + plaintext.Length, ad, (ulong)associatedData.Length, n, k);
        }
        if (rc != 0)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
        return true;
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AEAD key must be {KeySize} bytes", nameof(key));
        }
    }
}
