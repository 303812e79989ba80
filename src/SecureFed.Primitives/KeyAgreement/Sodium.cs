using System.Runtime.InteropServices;

namespace SecureFed.Primitives.KeyAgreement;

// Direct calls into libsodium (the native library NSec ships and loads: libsodium 1.0.22 with NSec 26.4.0) for X25519
// scalar multiplication, HKDF-SHA256 and ChaCha20-Poly1305. NSec's key and shared-secret objects live in guarded
// sodium_malloc pages, which costs several system calls per object; the protocol makes O(neighbours) agreements per
// client and the server O(dropouts x neighbours), so the hot path calls the same libsodium functions on pinned, wiped
// buffers instead. HKDF and the AEAD are here too because .NET's versions set up an OpenSSL context per call, which
// costs more than the work for 32-byte keys and 88-byte share bundles (measured; see ShareCipher and
// AgreementKeyPair). All these functions are thread-safe once sodium_init has run.
internal static unsafe partial class Sodium
{
    private const string Library = "libsodium";

    static Sodium()
    {
        // NSec initialises libsodium when loaded; make sure it happened (sodium_init is idempotent and thread-safe).
        _ = NSec.Cryptography.KeyAgreementAlgorithm.X25519;
        if (sodium_init() < 0)
        {
            throw new InvalidOperationException("libsodium failed to initialise");
        }
    }

    public static void EnsureInitialized()
    {
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    // RFC 7748 X25519(n, p); returns -1 (and the caller discards q) when the result is all zero.
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519(byte* q, byte* n, byte* p);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519_base(byte* q, byte* n);

    // RFC 5869 HKDF-Extract with HMAC-SHA256: prk = HMAC(salt, ikm); an empty salt is HMAC's all-zero key, as in the
    // RFC (libsodium >= 1.0.19).
    [LibraryImport(Library)]
    internal static partial int crypto_kdf_hkdf_sha256_extract(byte* prk, byte* salt, nuint saltLength, byte* ikm, nuint ikmLength);

    // RFC 5869 HKDF-Expand from a 32-byte prk; returns -1 above 255 * 32 output bytes (the RFC's limit).
    [LibraryImport(Library)]
    internal static partial int crypto_kdf_hkdf_sha256_expand(byte* output, nuint outputLength, byte* info, nuint infoLength, byte* prk);

    // RFC 8439 ChaCha20-Poly1305 with a 12-byte nonce; c and m are the same length, the 16-byte tag goes to mac
    // (macLength may be null). nsec is unused and must be null.
    [LibraryImport(Library)]
    internal static partial int crypto_aead_chacha20poly1305_ietf_encrypt_detached(byte* c, byte* mac, ulong* macLength,
        byte* m, ulong mLength, byte* ad, ulong adLength, byte* nsec, byte* nonce, byte* key);

    // Verifies the tag in constant time before decrypting; returns -1 (and writes no plaintext) when it does not match.
    [LibraryImport(Library)]
    internal static partial int crypto_aead_chacha20poly1305_ietf_decrypt_detached(byte* m, byte* nsec,
        byte* c, ulong cLength, byte* mac, byte* ad, ulong adLength, byte* nonce, byte* key);
}
