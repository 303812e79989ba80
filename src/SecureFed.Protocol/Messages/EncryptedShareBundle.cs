using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>One AEAD-encrypted share bundle, addressed to (in R1) or from (in S1) one peer.</summary>
[MessagePackObject]
public sealed class EncryptedShareBundle
{
    /// <summary>In a <see cref="ShareKeys"/> body: the recipient's id; in a <see cref="ShareDelivery"/>: the sender's id.</summary>
    [Key(0)]
    public uint PeerId { get; set; }

    /// <summary>ChaCha20-Poly1305 ciphertext || tag of the 88-byte bundle plaintext (104 bytes).</summary>
    [Key(1)]
    public byte[] Ciphertext { get; set; } = [];
}
