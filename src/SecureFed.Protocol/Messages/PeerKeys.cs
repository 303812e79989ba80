using SecureFed.Primitives.KeyAgreement;

namespace SecureFed.Protocol.Messages;

/// <summary>A client's two advertised X25519 public keys, parsed and checked.</summary>
public sealed class PeerKeys
{
    private PeerKeys(byte[] mask, byte[] encryption)
    {
        MaskPublicKey = mask;
        EncryptionPublicKey = encryption;
    }

    /// <summary>Mask-agreement public key (32 bytes).</summary>
    public byte[] MaskPublicKey { get; }

    /// <summary>Share-encryption public key (32 bytes).</summary>
    public byte[] EncryptionPublicKey { get; }

    /// <summary>True when either key is a small-order point (RFC 7748 section 6.1): every agreement with it fails, so
    /// the server refuses such an advertisement and a client treats such a peer as dropped (secagg.md section 4).</summary>
    public bool HasSmallOrderKey => AgreementKeyPair.IsSmallOrder(MaskPublicKey) || AgreementKeyPair.IsSmallOrder(EncryptionPublicKey);

    /// <summary>Parses an R0 body; null when malformed or a key is invalid or the two keys are equal.</summary>
    public static PeerKeys? TryParse(byte[] body)
    {
        AdvertiseKeys keys;
        try
        {
            keys = MessageCodec.Decode<AdvertiseKeys>(body, 1024);
        }
        catch (MalformedMessageException)
        {
            return null;
        }
        if (keys.Version != 1 || keys.MaskPublicKey is null || keys.EncryptionPublicKey is null ||
            !AgreementKeyPair.IsValidPublicKey(keys.MaskPublicKey) || !AgreementKeyPair.IsValidPublicKey(keys.EncryptionPublicKey) ||
            keys.MaskPublicKey.AsSpan().SequenceEqual(keys.EncryptionPublicKey))
        {
            return null;
        }
        return new PeerKeys(keys.MaskPublicKey, keys.EncryptionPublicKey);
    }
}
