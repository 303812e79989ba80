using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>R4 body: the shares the client reveals, ascending owner id.</summary>
[MessagePackObject]
public sealed class UnmaskingShares
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>Revealed shares.</summary>
    [Key(1)]
    public RevealedShare[] Shares { get; set; } = [];
}
