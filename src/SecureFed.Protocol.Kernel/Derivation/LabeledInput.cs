using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureFed.Protocol.Derivation;

/// <summary>
/// The byte layouts the masking and HE derivations share: an ASCII label, then context bytes, big-endian ids and a
/// tail. Kept in one place so both protocols build their hash, HKDF and signing inputs the same way.
/// </summary>
public static class LabeledInput
{
    /// <summary>SHA-256(label || data).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> label, ReadOnlySpan<byte> data)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(label);
        h.AppendData(data);
        return h.GetHashAndReset();
    }

    /// <summary>
    /// An envelope's signing input: label || context || BE32(sender) || u8(stage) || SHA-256(body). The body is
    /// hashed once here, so Ed25519 (which runs SHA-512 over its whole input twice to sign, once to verify) sees a
    /// fixed 32-byte digest instead of a multi-megabyte upload; SHA-256's collision resistance carries the binding.
    /// </summary>
    public static byte[] Envelope(ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, uint sender, byte stage, ReadOnlySpan<byte> body)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, digest);
        return EnvelopeOfDigest(label, context, sender, stage, digest);
    }

    /// <summary>
    /// The same signing input from SHA-256(body) computed by the caller (a client hashes its masked input while writing
    /// it). <paramref name="bodyDigest"/> must be exactly SHA-256 of the body sent, or the signature will not verify.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="bodyDigest"/> is not 32 bytes.</exception>
    public static byte[] EnvelopeOfDigest(ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, uint sender, byte stage, ReadOnlySpan<byte> bodyDigest)
    {
        if (bodyDigest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"a body digest is {SHA256.HashSizeInBytes} bytes, got {bodyDigest.Length}", nameof(bodyDigest));
        }
        var input = new byte[label.Length + context.Length + 5 + SHA256.HashSizeInBytes];
        Span<byte> s = input;
        label.CopyTo(s);
        s = s[label.Length..];
        context.CopyTo(s);
        s = s[context.Length..];
        BinaryPrimitives.WriteUInt32BigEndian(s, sender);
        s[4] = stage;
        bodyDigest.CopyTo(s[5..]);
        return input;
    }

    /// <summary>label || context || BE32(first) || BE32(second) when present || tail.</summary>
    public static byte[] WithIds(ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, uint first, uint? second, ReadOnlySpan<byte> tail)
    {
        var output = new byte[label.Length + context.Length + 4 + (second is null ? 0 : 4) + tail.Length];
        Span<byte> s = output;
        label.CopyTo(s);
        s = s[label.Length..];
        context.CopyTo(s);
        s = s[context.Length..];
        BinaryPrimitives.WriteUInt32BigEndian(s, first);
        s = s[4..];
        if (second is uint v)
        {
            BinaryPrimitives.WriteUInt32BigEndian(s, v);
            s = s[4..];
        }
        tail.CopyTo(s);
        return output;
    }
}
