using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>H1 body: the dealer's encrypted Shamir shares, one for every other advertised decryptor.</summary>
[MessagePackObject]
public sealed class KeyShares
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>Shares in ascending recipient id order.</summary>
    [Key(1)]
    public EncryptedKeyShare[] Shares { get; set; } = [];
}
