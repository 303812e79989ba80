using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>H2 body: the ciphertext upload, its commitment, and the client's signature on the commitment.</summary>
[MessagePackObject]
public sealed class ClientUpload
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>The serialized ciphertext vector (he.md section 7, kind 1, upload level).</summary>
    [Key(1)]
    public byte[] Upload { get; set; } = [];

    /// <summary>UploadCommitment (32 bytes) for the lattice round.</summary>
    [Key(2)]
    public byte[] Commitment { get; set; } = [];

    /// <summary>Ed25519 signature over "SecureFed/he-round/v1/commitment" || configuration hash || BE32(client) || commitment.</summary>
    [Key(3)]
    public byte[] CommitmentSignature { get; set; } = [];
}
