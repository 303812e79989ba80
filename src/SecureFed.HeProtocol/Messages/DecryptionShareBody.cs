using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>H3 body: a participant's flooded decryption share for one attempt.</summary>
[MessagePackObject]
public sealed class DecryptionShareBody
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>The attempt (1-based) this share answers.</summary>
    [Key(1)]
    public int Attempt { get; set; }

    /// <summary>The participant set (decryptor indices, ascending) the share was computed for.</summary>
    [Key(2)]
    public int[] Participants { get; set; } = [];

    /// <summary>blocks x B upload-level polynomials (coefficient form), bit-packed, block-major.</summary>
    [Key(3)]
    public byte[] Share { get; set; } = [];
}
