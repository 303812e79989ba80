using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>S2 (type 2): the clients whose masked inputs the server accepted (U3), ascending.</summary>
[MessagePackObject]
public sealed class SurvivorSet : ServerMessage
{
    /// <summary>Survivor ids, strictly ascending.</summary>
    [Key(1)]
    public uint[] Survivors { get; set; } = [];
}
