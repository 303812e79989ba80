using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>S1 (type 1): the bundles addressed to this client, ascending sender id; the senders are the U2 neighbours.</summary>
[MessagePackObject]
public sealed class ShareDelivery : ServerMessage
{
    /// <summary>Bundles; <see cref="EncryptedShareBundle.PeerId"/> is the sender.</summary>
    [Key(1)]
    public EncryptedShareBundle[] Shares { get; set; } = [];
}
