using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureFed.Protocol.Derivation;

namespace SecureFed.HeProtocol.Configuration;

/// <summary>Every hash, key derivation and signing input of the HE round (protocol-spec/he.md, "Round protocol").</summary>
public static class HeDerivation
{
    /// <summary>Prefix of the configuration hash.</summary>
    public static ReadOnlySpan<byte> ConfigLabel => "SecureFed/he-round/v1/config"u8;

    /// <summary>HKDF info of the CRP seed.</summary>
    public static ReadOnlySpan<byte> CrpLabel => "SecureFed/he-round/v1/crp"u8;

    /// <summary>Prefix of every envelope's signing input.</summary>
    public static ReadOnlySpan<byte> EnvelopeLabel => "SecureFed/he-round/v1/message"u8;

    /// <summary>Prefix of a client's commitment signature input.</summary>
    public static ReadOnlySpan<byte> CommitmentLabel => "SecureFed/he-round/v1/commitment"u8;

    /// <summary>HKDF info prefix of a Shamir-share encryption key (distinct from the masking path's label).</summary>
    public static ReadOnlySpan<byte> ShareKeyLabel => "SecureFed/he-round/v1/share-key"u8;

    /// <summary>Prefix of a Shamir-share ciphertext's associated data.</summary>
    public static ReadOnlySpan<byte> ShareAadLabel => "SecureFed/he-round/v1/share"u8;

    /// <summary>SHA-256(ConfigLabel || encoded configuration).</summary>
    public static byte[] ConfigurationHash(ReadOnlySpan<byte> encodedConfiguration) => LabeledInput.Hash(ConfigLabel, encodedConfiguration);

    /// <summary>
    /// CRP seed = HKDF-SHA256(ikm = configuration hash, salt = round id, info = CrpLabel, 32 bytes). Every party
    /// derives it, so the server cannot pick the common random polynomial a.
    /// </summary>
    public static byte[] CrpSeed(ReadOnlySpan<byte> configurationHash, ReadOnlySpan<byte> roundId)
    {
        var seed = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, configurationHash, seed, roundId, CrpLabel);
        return seed;
    }

    /// <summary>The lattice layer's round number: the first 8 bytes of the configuration hash, big-endian, top bit cleared.</summary>
    public static long LatticeRound(ReadOnlySpan<byte> configurationHash) =>
        BinaryPrimitives.ReadInt64BigEndian(configurationHash) & long.MaxValue;

    /// <summary>EnvelopeLabel || configuration hash || BE32(sender) || u8(stage) || SHA-256(body) (he.md 10.1).</summary>
    public static byte[] EnvelopeSigningInput(ReadOnlySpan<byte> configurationHash, uint sender, byte stage, ReadOnlySpan<byte> body) =>
        LabeledInput.Envelope(EnvelopeLabel, configurationHash, sender, stage, body);

    /// <summary>CommitmentLabel || configuration hash || BE32(client) || commitment (32 bytes).</summary>
    public static byte[] CommitmentSigningInput(ReadOnlySpan<byte> configurationHash, uint client, ReadOnlySpan<byte> commitment) =>
        LabeledInput.WithIds(CommitmentLabel, configurationHash, client, null, commitment);

    /// <summary>HKDF info of the key for shares from <paramref name="sender"/> to <paramref name="recipient"/>: ShareKeyLabel || BE32(sender) || BE32(recipient).</summary>
    public static byte[] ShareKeyInfo(uint sender, uint recipient) => LabeledInput.WithIds(ShareKeyLabel, [], sender, recipient, []);

    /// <summary>AAD of a share ciphertext: ShareAadLabel || configuration hash || BE32(sender) || BE32(recipient).</summary>
    public static byte[] ShareAssociatedData(ReadOnlySpan<byte> configurationHash, uint sender, uint recipient) =>
        LabeledInput.WithIds(ShareAadLabel, configurationHash, sender, recipient, []);
}
