using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// S3 (type 3): which clients are alive (U3: reveal self-mask shares) and which dropped (U2 \ U3: reveal mask key
/// shares), with the R3 envelopes proving every signer saw the same survivor set.
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

    /// <summary>R3 envelopes of at least t survivors.</summary>
    [Key(3)]
    public ClientEnvelope[] ConsistencySignatures { get; set; } = [];
}
