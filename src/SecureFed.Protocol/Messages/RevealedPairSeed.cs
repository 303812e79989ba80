using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// R4: the pairwise mask seed s_uv this client (u) shared with a dropped neighbour v, so the server can remove that
/// mask without rebuilding v's mask key and repeating the key agreement (protocol-spec/secagg.md section 8).
/// </summary>
[MessagePackObject]
public sealed class RevealedPairSeed
{
    /// <summary>The dropped neighbour v.</summary>
    [Key(0)]
    public uint PeerId { get; set; }

    /// <summary>The 32-byte seed s_uv.</summary>
    [Key(1)]
    public byte[] Seed { get; set; } = [];
}
