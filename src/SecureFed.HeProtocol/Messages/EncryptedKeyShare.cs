using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>One Shamir share f_i(j), ChaCha20-Poly1305-encrypted from dealer i to recipient j.</summary>
[MessagePackObject]
public sealed class EncryptedKeyShare
{
    /// <summary>In an H1 body: the recipient's client id; in a <see cref="KeyShareDelivery"/>: the dealer's.</summary>
    [Key(0)]
    public uint PeerId { get; set; }

    /// <summary>Ciphertext || 16-byte tag of the packed share (B upload-level polynomials, coefficient form).</summary>
    [Key(1)]
    public byte[] Ciphertext { get; set; } = [];
}
