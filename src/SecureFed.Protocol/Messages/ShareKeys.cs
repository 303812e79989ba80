using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>R1 body: one encrypted share bundle per neighbour, ascending recipient id.</summary>
[MessagePackObject]
public sealed class ShareKeys
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>Bundles, one per neighbour.</summary>
    [Key(1)]
    public EncryptedShareBundle[] Shares { get; set; } = [];
}
