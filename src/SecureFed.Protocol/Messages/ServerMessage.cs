using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// A server-to-client message. Encoded as a MessagePack union, the 2-element array [type code, body]
/// (protocol-spec/secagg.md, "Server messages").
/// </summary>
[Union(0, typeof(KeyDirectory))]
[Union(1, typeof(ShareDelivery))]
[Union(2, typeof(SurvivorSet))]
[Union(3, typeof(UnmaskingRequest))]
[Union(4, typeof(RoundAbortNotice))]
public abstract class ServerMessage
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;
}
