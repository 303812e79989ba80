using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// S3 (type 3): which clients are alive (U3: reveal self-mask shares) and which dropped (U2 \ U3: reveal mask key
/// shares), with the consistency tags the recipient's neighbours in U4 addressed to it: each proves to the recipient,
/// and to no one else, that its sender saw the same survivor set.
/// </summary>
[MessagePackObject]
public sealed class UnmaskingRequest : ServerMessage
{
    /// <summary>U3, strictly ascending; must equal the survivor set the client signed.</summary>
    [Key(1)]
    public uint[] Alive { get; set; } = [];

    /// <summary>Clients that sent shares but no masked input, strictly ascending; disjoint from <see cref="Alive"/>.</summary>
    [Key(2)]
    public uint[] Dropped { get; set; } = [];

    /// <summary>Neighbours of the recipient in U4 whose tags follow, strictly ascending.</summary>
    [Key(3)]
    public uint[] TagSenders { get; set; } = [];

    /// <summary>
    /// For each entry of <see cref="TagSenders"/>, the 32-byte tag that sender's R3 ConsistencyCheck addressed to the
    /// recipient, concatenated in the same order.
    /// </summary>
    [Key(4)]
    public byte[] Tags { get; set; } = [];
}
