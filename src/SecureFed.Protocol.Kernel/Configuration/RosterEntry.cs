using MessagePack;

namespace SecureFed.Protocol.Configuration;

/// <summary>An enrolled client: its 1-based id and Ed25519 identity public key.</summary>
[MessagePackObject]
public sealed class RosterEntry
{
    /// <summary>Client id, 1 &lt;= id &lt; 2^31; also its Shamir evaluation point.</summary>
    [Key(0)]
    public uint ClientId { get; set; }

    /// <summary>Raw 32-byte Ed25519 public key (RFC 8032).</summary>
    [Key(1)]
    public byte[] IdentityKey { get; set; } = [];
}
