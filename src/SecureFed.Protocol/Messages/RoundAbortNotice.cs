using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>S4 (type 4): the server aborted the round.</summary>
[MessagePackObject]
public sealed class RoundAbortNotice : ServerMessage
{
    /// <summary>Why, as an <see cref="AbortReason"/> wire value.</summary>
    [Key(1)]
    public AbortReason Reason { get; set; }

    /// <summary>Human-readable detail (never secret).</summary>
    [Key(2)]
    public string Detail { get; set; } = "";
}
