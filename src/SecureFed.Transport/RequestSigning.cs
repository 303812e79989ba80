using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Transport;

/// <summary>
/// Request-level authentication (protocol-spec/transport.md, "Signed requests"): every client request carries an
/// Ed25519 signature by the client's identity key over the method, path, key, timestamp, nonce and body hash.
/// </summary>
public static class RequestSigning
{
    /// <summary>Nonce length in bytes (128 bits: collisions are negligible within a replay window).</summary>
    public const int NonceSize = 16;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("SecureFed/transport/v1/request");

    /// <summary>
    /// The signed bytes: <c>label || 0 || METHOD || 0 || path || 0 || key (32) || BE64(timestamp) || nonce (16) || SHA-256(body)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The key or nonce has the wrong size, or method/path are not ASCII.</exception>
    public static byte[] SigningInput(string method, string path, ReadOnlySpan<byte> publicKey, long timestampMs,
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        if (publicKey.Length != IdentityPublicKey.Size)
        {
            throw new ArgumentException($"the public key must be {IdentityPublicKey.Size} bytes", nameof(publicKey));
        }
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"the nonce must be {NonceSize} bytes", nameof(nonce));
        }
        if (!Ascii.IsValid(method) || !Ascii.IsValid(path))
        {
            throw new ArgumentException("method and path must be ASCII (percent-encode the path)", nameof(path));
        }
        string upper = method.ToUpperInvariant();
        var input = new byte[Label.Length + 1 + upper.Length + 1 + path.Length + 1 + IdentityPublicKey.Size + 8 + NonceSize + 32];
        var w = input.AsSpan();
        Label.CopyTo(w);
        w = w[(Label.Length + 1)..];
        Encoding.ASCII.GetBytes(upper, w);
        w = w[(upper.Length + 1)..];
        Encoding.ASCII.GetBytes(path, w);
        w = w[(path.Length + 1)..];
        publicKey.CopyTo(w);
        w = w[IdentityPublicKey.Size..];
        BinaryPrimitives.WriteInt64BigEndian(w, timestampMs);
        w = w[8..];
        nonce.CopyTo(w);
        SHA256.HashData(body, w[NonceSize..]);
        return input;
    }

    /// <summary>Signs a request; returns the 64-byte signature.</summary>
    public static byte[] Sign(IdentityKeyPair identity, string method, string path, long timestampMs, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.Sign(SigningInput(method, path, identity.PublicKey.Bytes, timestampMs, nonce, body));
    }

    /// <summary>True when <paramref name="signature"/> is the key's signature over the request.</summary>
    public static bool Verify(IdentityPublicKey key, string method, string path, long timestampMs, ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        return signature.Length == IdentityPublicKey.SignatureSize &&
            key.Verify(SigningInput(method, path, key.Bytes, timestampMs, nonce, body), signature);
    }
}
