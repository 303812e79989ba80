using System.Buffers.Binary;
using SecureFed.Primitives.Shamir;

namespace SecureFed.Protocol.Derivation;

/// <summary>
/// The 88-byte plaintext of a share bundle: BE32(sender) || BE32(receiver) || share of b (40) || share of the mask
/// private key (40) (protocol-spec/secagg.md, "Share bundle").
/// </summary>
public static class ShareBundlePlaintext
{
    /// <summary>Plaintext size: 4 + 4 + 40 + 40.</summary>
    public const int Size = 8 + 2 * ShamirScheme.ShareSize;

    /// <summary>Writes the plaintext.</summary>
    public static void Write(Span<byte> destination, uint sender, uint receiver, ReadOnlySpan<byte> seedShare, ReadOnlySpan<byte> keyShare)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, sender);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], receiver);
        seedShare.CopyTo(destination.Slice(8, ShamirScheme.ShareSize));
        keyShare.CopyTo(destination.Slice(8 + ShamirScheme.ShareSize, ShamirScheme.ShareSize));
    }

    /// <summary>True when the plaintext names this sender and receiver.</summary>
    public static bool Matches(ReadOnlySpan<byte> plaintext, uint sender, uint receiver) =>
        plaintext.Length == Size &&
        BinaryPrimitives.ReadUInt32BigEndian(plaintext) == sender &&
        BinaryPrimitives.ReadUInt32BigEndian(plaintext[4..]) == receiver;

    /// <summary>The self-mask seed share inside a plaintext.</summary>
    public static ReadOnlySpan<byte> SeedShare(ReadOnlySpan<byte> plaintext) => plaintext.Slice(8, ShamirScheme.ShareSize);

    /// <summary>The mask key share inside a plaintext.</summary>
    public static ReadOnlySpan<byte> KeyShare(ReadOnlySpan<byte> plaintext) => plaintext.Slice(8 + ShamirScheme.ShareSize, ShamirScheme.ShareSize);
}
