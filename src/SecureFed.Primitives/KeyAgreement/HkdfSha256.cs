using System.Security.Cryptography;

namespace SecureFed.Primitives.KeyAgreement;

// HKDF-SHA256 (RFC 5869) through libsodium, split into Extract and Expand so one agreement's PRK serves several keys.
// The bytes equal System.Security.Cryptography.HKDF's (tests compare them); libsodium is used because .NET's HKDF
// sets up an OpenSSL KDF context per call, which for 32-byte keys costs more than the hashing.
internal static unsafe class HkdfSha256
{
    // PRK size = SHA-256 output (RFC 5869 section 2.2).
    public const int PrkSize = 32;

    // RFC 5869 section 2.3: L <= 255 * HashLen.
    public const int MaxOutputSize = 255 * PrkSize;

    public static void Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk)
    {
        if (prk.Length != PrkSize)
        {
            throw new ArgumentException($"PRK must be {PrkSize} bytes", nameof(prk));
        }
        int rc;
        fixed (byte* k = prk)
        fixed (byte* s = salt)
        fixed (byte* m = ikm)
        {
            rc = Sodium.crypto_kdf_hkdf_sha256_extract(k, s, (nuint)salt.Length, m, (nuint)ikm.Length);
        }
        if (rc != 0)
        {
            throw new CryptographicException("HKDF-SHA256 extract failed");
        }
    }

    // Same argument rules as HKDF.DeriveKey: the output is 1 .. 255 * 32 bytes (outputName names the caller's parameter).
    public static void Expand(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output, string outputName)
    {
        if (prk.Length != PrkSize)
        {
            throw new ArgumentException($"PRK must be {PrkSize} bytes", nameof(prk));
        }
        if (output.IsEmpty || output.Length > MaxOutputSize)
        {
            throw new ArgumentException($"HKDF-SHA256 output must be 1 to {MaxOutputSize} bytes", outputName);
        }
        int rc;
        fixed (byte* o = output)
        fixed (byte* i = info)
        fixed (byte* k = prk)
        {
            rc = Sodium.crypto_kdf_hkdf_sha256_expand(o, (nuint)output.Length, i, (nuint)info.Length, k);
        }
        if (rc != 0)
        {
            CryptographicOperations.ZeroMemory(output);
            throw new CryptographicException("HKDF-SHA256 expand failed");
        }
    }
}
