using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>
/// S1 (type 1), server to each decryptor of the final set: the final set (decryptors that completed H1) and the
/// shares its other members dealt to the recipient (<see cref="EncryptedKeyShare.PeerId"/> = dealer).
/// </summary>
[MessagePackObject]
public sealed class KeyShareDelivery : HeServerMessage
{
    /// <summary>Client ids of the decryptors in the key, ascending.</summary>
    [Key(1)]
    public uint[] Decryptors { get; set; } = [];

    /// <summary>One share from every other member of <see cref="Decryptors"/>, ascending dealer id.</summary>
    [Key(2)]
    public EncryptedKeyShare[] Shares { get; set; } = [];
}
