using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>
/// Every party-to-server message: a stage-typed body signed with the sender's roster identity key over
/// "SecureFed/he-round/v1/message" || configuration hash || BE32(sender) || stage || SHA-256(body), so it cannot be replayed
/// into another round or stage. H0 envelopes are forwarded unchanged to the other parties.
/// </summary>
[MessagePackObject]
public sealed class HeEnvelope
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>Sender's client id.</summary>
    [Key(1)]
    public uint SenderId { get; set; }

    /// <summary>The stage whose body type <see cref="Body"/> holds.</summary>
    [Key(2)]
    public HeStage Stage { get; set; }

    /// <summary>MessagePack encoding of the stage's body type.</summary>
    [Key(3)]
    public byte[] Body { get; set; } = [];

    /// <summary>Ed25519 signature (64 bytes).</summary>
    [Key(4)]
    public byte[] Signature { get; set; } = [];
}
