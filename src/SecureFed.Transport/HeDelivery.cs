using MessagePack;

namespace SecureFed.Transport;

/// <summary>
/// What <c>GET /v1/rounds/{id}/he/closes/{n}</c> returns (protocol-spec/transport.md, "HE rounds"): the server
/// messages one party receives from a stage close of an HE round, each the exact MessagePack union encoding of an
/// HeServerMessage. Empty when that close sent the party nothing.
/// </summary>
[MessagePackObject]
public sealed class HeDelivery
{
    /// <summary>Transport version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>0-based index of the close that produced the messages (at least the one asked for).</summary>
    [Key(1)]
    public int Close { get; set; }

    /// <summary>The encoded server messages for the caller, in the order the close produced them.</summary>
    [Key(2)]
    public byte[][] Messages { get; set; } = [];
}
