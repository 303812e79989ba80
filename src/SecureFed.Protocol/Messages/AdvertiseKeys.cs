using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>R0 body: the client's two ephemeral X25519 public keys.</summary>
[MessagePackObject]
public sealed class AdvertiseKeys
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>Raw 32-byte X25519 public key used for pairwise masks.</summary>
    [Key(1)]
    public byte[] MaskPublicKey { get; set; } = [];

    /// <summary>Raw 32-byte X25519 public key used to encrypt shares.</summary>
    [Key(2)]
    public byte[] EncryptionPublicKey { get; set; } = [];
}
