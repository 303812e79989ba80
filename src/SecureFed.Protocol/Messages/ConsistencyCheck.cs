using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>R3 body: the hash of the survivor set the client saw; the envelope signature signs it.</summary>
[MessagePackObject]
public sealed class ConsistencyCheck
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>32-byte survivor-set hash (protocol-spec/secagg.md, "Survivor set hash").</summary>
    [Key(1)]
    public byte[] SurvivorSetHash { get; set; } = [];
}
