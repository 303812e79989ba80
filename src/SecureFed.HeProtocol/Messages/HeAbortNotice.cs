using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>S4 (type 4): the server aborted the round.</summary>
[MessagePackObject]
public sealed class HeAbortNotice : HeServerMessage
{
    /// <summary>Why.</summary>
    [Key(1)]
    public HeAbortReason Reason { get; set; }

    /// <summary>Human-readable detail (never secret).</summary>
    [Key(2)]
    public string Detail { get; set; } = "";
}
