using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Derivation;

/// <summary>
/// Every hash, HKDF input and signing input of the protocol, in one place (protocol-spec/secagg.md,
/// "Derivations"). All labels are ASCII without terminator; integers are big-endian.
/// </summary>
public static class SessionDerivation
{
    /// <summary>Label of the configuration hash.</summary>
    public static ReadOnlySpan<byte> ConfigLabel => "SecureFed/secagg/v1/config"u8;

    /// <summary>Label of the session id.</summary>
    public static ReadOnlySpan<byte> SessionLabel => "SecureFed/secagg/v1/session"u8;

    /// <summary>Label of the envelope signing input.</summary>
    public static ReadOnlySpan<byte> EnvelopeLabel => "SecureFed/secagg/v1/client-message"u8;

    /// <summary>HKDF info label of pairwise mask seeds.</summary>
    public static ReadOnlySpan<byte> PairwiseMaskLabel => "SecureFed/secagg/v1/pairwise-mask"u8;

    /// <summary>HKDF info label of share-encryption keys.</summary>
    public static ReadOnlySpan<byte> ShareKeyLabel => "SecureFed/secagg/v1/share-key"u8;

    /// <summary>AEAD associated-data label of share bundles.</summary>
    public static ReadOnlySpan<byte> ShareBundleLabel => "SecureFed/secagg/v1/share-bundle"u8;

    /// <summary>Label of the survivor-set hash.</summary>
    public static ReadOnlySpan<byte> SurvivorsLabel => "SecureFed/secagg/v1/survivors"u8;

    /// <summary>HKDF info label of the pairwise consistency key.</summary>
    public static ReadOnlySpan<byte> ConsistencyKeyLabel => "SecureFed/secagg/v1/consistency-key"u8;

    /// <summary>Label of the consistency tag's MAC input.</summary>
    public static ReadOnlySpan<byte> ConsistencyTagLabel => "SecureFed/secagg/v1/consistency-tag"u8;

    /// <summary>Size of a consistency tag (HMAC-SHA256, untruncated).</summary>
    public const int TagSize = 32;

    /// <summary>Size of every hash and derived seed (SHA-256 output).</summary>
    public const int HashSize = 32;

    /// <summary>SHA-256(ConfigLabel || encoded configuration).</summary>
    public static byte[] ConfigurationHash(ReadOnlySpan<byte> encodedConfiguration) => LabeledInput.Hash(ConfigLabel, encodedConfiguration);

    /// <summary>
    /// Session id: SHA-256(SessionLabel || config hash || BE32(m) || root), where root is the <see cref="DirectoryTree"/>
    /// over the m accepted R0 envelopes in ascending sender id (protocol-spec/secagg.md section 3).
    /// </summary>
    public static byte[] SessionId(ReadOnlySpan<byte> configurationHash, int count, ReadOnlySpan<byte> root)
    {
        if (configurationHash.Length != HashSize || root.Length != DirectoryTree.HashSize || count < 1)
        {
            throw new ArgumentException("the session id takes a 32-byte configuration hash, a positive count and a 32-byte root");
        }
        Span<byte> input = stackalloc byte[SessionLabel.Length + HashSize + 4 + DirectoryTree.HashSize];
        SessionLabel.CopyTo(input);
        configurationHash.CopyTo(input[SessionLabel.Length..]);
        BinaryPrimitives.WriteUInt32BigEndian(input[(SessionLabel.Length + HashSize)..], (uint)count);
        root.CopyTo(input[(SessionLabel.Length + HashSize + 4)..]);
        return SHA256.HashData(input);
    }

    /// <summary>The session id of the accepted R0 envelopes <paramref name="advertiseEnvelopes"/> (ascending sender id):
    /// their <see cref="DirectoryTree"/>'s root, bound with their count and the configuration hash.</summary>
    public static byte[] SessionId(ReadOnlySpan<byte> configurationHash, IReadOnlyList<ClientEnvelope> advertiseEnvelopes)
    {
        ArgumentNullException.ThrowIfNull(advertiseEnvelopes);
        DirectoryTree tree = DirectoryTree.Build(advertiseEnvelopes);
        return SessionId(configurationHash, tree.Count, tree.Root);
    }

    /// <summary>Envelope signing input: EnvelopeLabel || context (32) || BE32(sender) || stage (1 byte) || SHA-256(body) (32).</summary>
    public static byte[] EnvelopeSigningInput(ReadOnlySpan<byte> context, uint sender, ProtocolStage stage, ReadOnlySpan<byte> body) =>
        LabeledInput.Envelope(EnvelopeLabel, context, sender, (byte)stage, body);

    // The same from SHA-256(body), computed by the caller (32 bytes).
    internal static byte[] EnvelopeSigningInputOfDigest(ReadOnlySpan<byte> context, uint sender, ProtocolStage stage, ReadOnlySpan<byte> bodyDigest) =>
        LabeledInput.EnvelopeOfDigest(EnvelopeLabel, context, sender, (byte)stage, bodyDigest);

    /// <summary>HKDF info of the pairwise mask seed: PairwiseMaskLabel || BE32(min(u,v)) || BE32(max(u,v)).</summary>
    public static byte[] PairwiseMaskInfo(uint u, uint v) => LabeledInput.WithIds(PairwiseMaskLabel, [], Math.Min(u, v), Math.Max(u, v), []);

    /// <summary>HKDF info of the share key for sender -> receiver: ShareKeyLabel || BE32(sender) || BE32(receiver).</summary>
    public static byte[] ShareKeyInfo(uint sender, uint receiver) => LabeledInput.WithIds(ShareKeyLabel, [], sender, receiver, []);

    /// <summary>
    /// HKDF info of the consistency key of u and v (from the share keys' X25519): ConsistencyKeyLabel || BE32(min(u,v)) ||
    /// BE32(max(u,v)). One key for both directions: the tag input names the sender.
    /// </summary>
    public static byte[] ConsistencyKeyInfo(uint u, uint v) => LabeledInput.WithIds(ConsistencyKeyLabel, [], Math.Min(u, v), Math.Max(u, v), []);

    /// <summary>
    /// The consistency tag sender -> recipient over a survivor-set hash: HMAC-SHA256(key, ConsistencyTagLabel || session id ||
    /// BE32(sender) || BE32(recipient) || survivorSetHash), into <paramref name="tag"/> (32 bytes).
    /// </summary>
    public static void ConsistencyTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sessionId, uint sender, uint recipient,
        ReadOnlySpan<byte> survivorSetHash, Span<byte> tag)
    {
        byte[] input = LabeledInput.WithIds(ConsistencyTagLabel, sessionId, sender, recipient, survivorSetHash);
        HMACSHA256.HashData(key, input, tag);
    }

    /// <summary>AEAD associated data: ShareBundleLabel || session id || BE32(sender) || BE32(receiver).</summary>
    public static byte[] ShareBundleAssociatedData(ReadOnlySpan<byte> sessionId, uint sender, uint receiver) =>
        LabeledInput.WithIds(ShareBundleLabel, sessionId, sender, receiver, []);

    /// <summary>Survivor-set hash: SHA-256(SurvivorsLabel || session id || BE32(id) for each survivor ascending).</summary>
    public static byte[] SurvivorSetHash(ReadOnlySpan<byte> sessionId, IReadOnlyList<uint> survivors)
    {
        ArgumentNullException.ThrowIfNull(survivors);
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(SurvivorsLabel);
        h.AppendData(sessionId);
        // The ids go to the hash in big-endian blocks, swapped a block at a time: at 10,000 survivors one call per id,
        // or one interface call per id to read the list, costs more than the hashing.
        ReadOnlySpan<uint> ids = survivors as uint[] ?? [.. survivors];
        Span<uint> block = stackalloc uint[256];
        for (int start = 0; start < ids.Length; start += block.Length)
        {
            ReadOnlySpan<uint> part = ids.Slice(start, Math.Min(block.Length, ids.Length - start));
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(part, block);
            }
            else
            {
                part.CopyTo(block);
            }
            h.AppendData(MemoryMarshal.AsBytes(block[..part.Length]));
        }
        return h.GetHashAndReset();
    }
}
