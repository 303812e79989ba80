using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// S3 (type 3): the consistency tags the recipient's neighbours in U4 addressed to it; each proves to the recipient,
/// and to no one else, that its sender saw the same survivor set. Nothing roster-sized: the recipient already holds the
/// survivor set it signed and the senders of its share delivery, which decide what it reveals (secagg.md section 8).
/// </summary>
[MessagePackObject]
public sealed class UnmaskingRequest : ServerMessage
{
    /// <summary>Neighbours of the recipient in U4 whose tags follow, strictly ascending.</summary>
    [Key(1)]
    public uint[] TagSenders { get; set; } = [];

    /// <summary>
    /// For each entry of <see cref="TagSenders"/>, the 32-byte tag that sender's R3 ConsistencyCheck addressed to the
    /// recipient, concatenated in the same order.
    /// </summary>
    [Key(2)]
    public byte[] Tags { get; set; } = [];
}
