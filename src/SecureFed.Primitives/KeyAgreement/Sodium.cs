using System.Runtime.InteropServices;

namespace SecureFed.Primitives.KeyAgreement;

// Direct calls into libsodium (the native library NSec ships and loads) for X25519 scalar multiplication. NSec's key
// and shared-secret objects live in guarded sodium_malloc pages, which costs several system calls per object; the
// protocol makes O(neighbours) agreements per client and the server O(dropouts x neighbours), so the hot path calls
// the same libsodium functions on pinned, wiped buffers instead.
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
}
