using System.Security.Cryptography;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Secrets;

namespace SecureFed.Primitives.KeyAgreement;

/// <summary>
/// An ephemeral X25519 key pair (RFC 7748); the agreement and the HKDF-SHA256 after it run in libsodium. The private
/// key sits in a pinned buffer wiped on <see cref="Dispose"/>; it is exportable only through
/// <see cref="ExportPrivateKey"/> because the protocol Shamir-shares the mask key, and the caller wipes what it exports.
/// </summary>
public sealed class AgreementKeyPair : IDisposable
{
    /// <summary>X25519 private and public key size (RFC 7748 section 5).</summary>
    public const int KeySize = 32;

    private readonly SecretBuffer _private;
    private readonly byte[] _public = new byte[KeySize];

    private unsafe AgreementKeyPair(ReadOnlySpan<byte> privateKey)
    {
        Sodium.EnsureInitialized();
        _private = SecretBuffer.CopyOf(privateKey);
        fixed (byte* q = _public)
        fixed (byte* n = _private.Span)
        {
            _ = Sodium.crypto_scalarmult_curve25519_base(q, n);
        }
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
            return new AgreementKeyPair(sk);
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
        return new AgreementKeyPair(privateKey);
    }

    /// <summary>True when <paramref name="publicKey"/> is a 32-byte X25519 public key (every 32-byte string encodes one, RFC 7748 section 5).</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) => publicKey.Length == KeySize;

    /// <summary>
    /// True when <paramref name="publicKey"/> is 32 bytes encoding a point of order 1, 2, 4 or 8 (RFC 7748 section 6.1):
    /// X25519 with it gives the all-zero output for every private key, so libsodium refuses every agreement with it.
    /// The check compares against the known encodings (libsodium's list; the top bit is ignored as X25519 ignores it),
    /// so it costs no scalar multiplication; a test confirms libsodium refuses each of them.
    /// </summary>
    public static bool IsSmallOrder(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != KeySize)
        {
            return false;
        }
        foreach (byte[] known in SmallOrderEncodings)
        {
            if (publicKey[..(KeySize - 1)].SequenceEqual(known.AsSpan(0, KeySize - 1)) && (publicKey[KeySize - 1] & 0x7F) == known[KeySize - 1])
            {
                return true;
            }
        }
        return false;
    }

    // u = 0 and 1, the two u of order 8, p - 1, and the non-canonical p and p + 1 (p = 2^255 - 19), little-endian.
    private static readonly byte[][] SmallOrderEncodings =
    [
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    ];

    /// <summary>Writes the 32-byte private key (for Shamir sharing); the caller must wipe the destination.</summary>
    public void ExportPrivateKey(Span<byte> destination)
    {
        if (destination.Length != KeySize)
        {
            throw new ArgumentException($"destination must be {KeySize} bytes", nameof(destination));
        }
        _private.Span.CopyTo(destination);
    }

    /// <summary>
    /// X25519 with <paramref name="peerPublicKey"/>, then HKDF-SHA256 (RFC 5869) with the given salt and info into
    /// <paramref name="output"/>. Returns false when the peer key is not 32 bytes or the shared secret is all-zero
    /// (a low-order point, RFC 7748 section 6.1). Thread-safe.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is empty or longer than 255 * 32 bytes.</exception>
    public bool TryDeriveSharedKey(ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        Span<byte> prk = stackalloc byte[HkdfSha256.PrkSize];
        try
        {
            if (!TryAgreeAndExtract(peerPublicKey, salt, prk))
            {
                return false;
            }
            HkdfSha256.Expand(prk, info, output, nameof(output));
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>
    /// One X25519 with <paramref name="peerPublicKey"/> and one HKDF-Extract, then one HKDF-SHA256 expansion per entry
    /// of <paramref name="infos"/>: <paramref name="outputs"/> is cut into <c>infos.Length</c> equal parts and part i
    /// receives <c>HKDF(shared, salt, infos[i])</c>, the same bytes <see cref="TryDeriveSharedKey"/> would give for
    /// that info. Same failures as <see cref="TryDeriveSharedKey"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="infos"/> is empty, or <paramref name="outputs"/> is not a
    /// non-zero multiple of <c>infos.Length</c> bytes with parts of at most 255 * 32 bytes.</exception>
    public bool TryDeriveSharedKeys(ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> salt, ReadOnlySpan<ReadOnlyMemory<byte>> infos,
        Span<byte> outputs)
    {
        if (infos.IsEmpty)
        {
            throw new ArgumentException("at least one info is needed", nameof(infos));
        }
        if (outputs.IsEmpty || outputs.Length % infos.Length != 0)
        {
            throw new ArgumentException($"outputs must be a non-zero multiple of {infos.Length} bytes (one equal part per info)", nameof(outputs));
        }
        int part = outputs.Length / infos.Length;
        Span<byte> prk = stackalloc byte[HkdfSha256.PrkSize];
        try
        {
            if (!TryAgreeAndExtract(peerPublicKey, salt, prk))
            {
                return false;
            }
            for (int i = 0; i < infos.Length; i++)
            {
                HkdfSha256.Expand(prk, infos[i].Span, outputs.Slice(i * part, part), nameof(outputs));
            }
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    // X25519 then HKDF-Extract(salt, shared) into prk; false for a malformed peer key or an all-zero shared secret.
    private unsafe bool TryAgreeAndExtract(ReadOnlySpan<byte> peerPublicKey, ReadOnlySpan<byte> salt, Span<byte> prk)
    {
        if (peerPublicKey.Length != KeySize)
        {
            return false;
        }
        Span<byte> shared = stackalloc byte[KeySize];
        try
        {
            int rc;
            fixed (byte* q = shared)
            fixed (byte* n = _private.Span)
            fixed (byte* p = peerPublicKey)
            {
                rc = Sodium.crypto_scalarmult_curve25519(q, n, p);
            }
            if (rc != 0)
            {
                return false;
            }
            HkdfSha256.Extract(salt, shared, prk);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>Wipes the private key.</summary>
    public void Dispose() => _private.Dispose();

    /// <summary>Shows only the public key.</summary>
    public override string ToString() => $"AgreementKeyPair(public {Convert.ToHexStringLower(_public)})";
}
