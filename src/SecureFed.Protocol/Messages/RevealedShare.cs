using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>One Shamir share revealed in R4.</summary>
[MessagePackObject]
public sealed class RevealedShare
{
    /// <summary>Id of the client whose secret this shares.</summary>
    [Key(0)]
    public uint OwnerId { get; set; }

    /// <summary>Which of the owner's secrets.</summary>
    [Key(1)]
    public ShareKind Kind { get; set; }

    /// <summary>The 40-byte share (5 little-endian GF(2^61-1) elements).</summary>
    [Key(2)]
    public byte[] Share { get; set; } = [];
}
