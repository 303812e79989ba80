using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>S0 (type 0): the R0 envelopes the server accepted, ascending sender id, forwarded unchanged.</summary>
[MessagePackObject]
public sealed class KeyDirectory : ServerMessage
{
    /// <summary>Signed R0 envelopes.</summary>
    [Key(1)]
    public ClientEnvelope[] Entries { get; set; } = [];
}
