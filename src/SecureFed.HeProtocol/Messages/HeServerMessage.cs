using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>
/// A server-to-party message, encoded as a MessagePack union [type code, body]. Server messages are not signed:
/// everything a party relies on inside them (advertisements, commitments) carries its author's signature.
/// </summary>
[Union(0, typeof(AdvertisementList))]
[Union(1, typeof(KeyShareDelivery))]
[Union(2, typeof(CollectiveKeyAnnouncement))]
[Union(3, typeof(DecryptionRequestMessage))]
[Union(4, typeof(HeAbortNotice))]
[Union(5, typeof(HeRoundResult))]
public abstract class HeServerMessage
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;
}
