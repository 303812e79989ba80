using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>One upload of the aggregate as a decryptor sees it: the opening and the client's signed commitment.</summary>
[MessagePackObject]
public sealed class OpenedUpload
{
    /// <summary>The client's id.</summary>
    [Key(0)]
    public uint ClientId { get; set; }

    /// <summary>UploadOpening.Masks: the 24-byte header and every block's packed c1.</summary>
    [Key(1)]
    public byte[] Masks { get; set; } = [];

    /// <summary>UploadOpening.BodiesHash (32 bytes).</summary>
    [Key(2)]
    public byte[] BodiesHash { get; set; } = [];

    /// <summary>The commitment the client signed.</summary>
    [Key(3)]
    public byte[] Commitment { get; set; } = [];

    /// <summary>The client's Ed25519 signature on the commitment.</summary>
    [Key(4)]
    public byte[] CommitmentSignature { get; set; } = [];
}
