using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>H0 body: a decryptor's X25519 agreement key and its public-key share b_i.</summary>
[MessagePackObject]
public sealed class KeyAdvertisement
{
    /// <summary>Protocol version, 1.</summary>
    [Key(0)]
    public int Version { get; set; } = 1;

    /// <summary>Raw 32-byte X25519 public key the other decryptors encrypt Shamir shares to.</summary>
    [Key(1)]
    public byte[] AgreementPublicKey { get; set; } = [];

    /// <summary>b_(i,0..B-1): B key-level polynomials in NTT form, bit-packed (he.md section 7 component layout).</summary>
    [Key(2)]
    public byte[] PublicKeyShare { get; set; } = [];
}
