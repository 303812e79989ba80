using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>R4 body: the shares the client reveals, ascending owner id, and its pair seeds with dropped neighbours.</summary>
[MessagePackObject]
public sealed class UnmaskingShares
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>Revealed shares.</summary>
    [Key(1)]
    public RevealedShare[] Shares { get; set; } = [];

    /// <summary>s_uv for every dropped neighbour v this client masked with, ascending v.</summary>
    [Key(2)]
    public RevealedPairSeed[] PairSeeds { get; set; } = [];
}
