using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// R3 body: the hash of the survivor set the client saw (the envelope signature signs it, for the server and auditors)
/// and, for each neighbour in that set, a MAC over the same hash under the key the pair shares (protocol-spec/secagg.md
/// section 8), which that neighbour checks instead of this envelope's signature.
/// </summary>
[MessagePackObject]
public sealed class ConsistencyCheck
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>32-byte survivor-set hash (protocol-spec/secagg.md, "Survivor set hash").</summary>
    [Key(1)]
    public byte[] SurvivorSetHash { get; set; } = [];

    /// <summary>The sender's neighbours in the survivor set, strictly ascending: the recipients of <see cref="Tags"/>.</summary>
    [Key(2)]
    public uint[] TaggedPeers { get; set; } = [];

    /// <summary>One 32-byte consistency tag per entry of <see cref="TaggedPeers"/>, concatenated in the same order.</summary>
    [Key(3)]
    public byte[] Tags { get; set; } = [];

    /// <summary>The tag addressed to <paramref name="recipient"/>; empty when there is none (or the lists are malformed).</summary>
    public ReadOnlySpan<byte> TagFor(uint recipient)
    {
        const int size = Derivation.SessionDerivation.TagSize;
        int at = Array.BinarySearch(TaggedPeers ?? [], recipient);
        return at < 0 || Tags is null || Tags.Length < (at + 1) * size ? [] : Tags.AsSpan(at * size, size);
    }
}
