using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>R2 body: the masked vectors, each as ceil(bits/8)-byte little-endian elements.</summary>
[MessagePackObject]
public sealed class MaskedInput
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>One byte string per configured vector, in configuration order.</summary>
    [Key(1)]
    public byte[][] Vectors { get; set; } = [];
}
