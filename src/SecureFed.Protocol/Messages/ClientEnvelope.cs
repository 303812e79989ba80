using MessagePack;

namespace SecureFed.Protocol.Messages;

/// <summary>
/// Every client-to-server message: a stage-typed body signed with the client's identity key
/// (protocol-spec/secagg.md, "ClientEnvelope"). The server forwards R0 envelopes unchanged to other clients, which
/// verify them against the roster. It encodes itself (<see cref="IDirectlyEncoded"/>) with one copy of its body, into
/// the bytes MessagePack's formatter writes.
/// </summary>
[MessagePackObject]
public sealed class ClientEnvelope : IDirectlyEncoded
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>Sender's client id.</summary>
    [Key(1)]
    public uint SenderId { get; set; }

    /// <summary>The stage whose body type <see cref="Body"/> holds.</summary>
    [Key(2)]
    public ProtocolStage Stage { get; set; }

    /// <summary>MessagePack encoding of the stage's body type.</summary>
    [Key(3)]
    public byte[] Body { get; set; } = [];

    /// <summary>Ed25519 signature (64 bytes) over the signing input of protocol-spec/secagg.md.</summary>
    [Key(4)]
    public byte[] Signature { get; set; } = [];

    /// <inheritdoc/>
    byte[]? IDirectlyEncoded.TryEncodeDirectly() => EnvelopeView.TryEncode(this);
}
