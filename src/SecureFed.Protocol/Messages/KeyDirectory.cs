using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// S0 (type 0), one per recipient: who advertised keys (U1, one bit per roster entry), the root of the Merkle tree over
/// every accepted R0 envelope (the session id binds it), and the envelopes of the recipient's neighbours and itself with
/// their proof against that root (protocol-spec/secagg.md sections 2.3 and 3). For the complete graph that is every
/// envelope and the proof is empty.
/// </summary>
[MessagePackObject]
public sealed class KeyDirectory : ServerMessage
{
    /// <summary>U1 as a bitmap over the roster in ascending client id: bit i is byte i / 8, bit i % 8 (least significant
    /// first); ceil(roster / 8) bytes, unused bits zero.</summary>
    [Key(1)]
    public byte[] Advertised { get; set; } = [];

    /// <summary>The 32-byte root of the tree over every accepted R0 envelope, ascending sender id.</summary>
    [Key(2)]
    public byte[] Root { get; set; } = [];

    /// <summary>The signed R0 envelopes of the recipient's neighbours and of the recipient, strictly ascending sender id.</summary>
    [Key(3)]
    public ClientEnvelope[] Entries { get; set; } = [];

    /// <summary>The proof of <see cref="Entries"/> against <see cref="Root"/>: 32-byte hashes, concatenated.</summary>
    [Key(4)]
    public byte[] Proof { get; set; } = [];
}
