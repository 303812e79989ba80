using System.Buffers;
using System.Security.Cryptography;
using SecureFed.Primitives.Aead;
using SecureFed.Primitives.Shamir;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

// Each stage's content rules for one client's message (validate completely, then record), as secagg.md states them.
internal sealed partial class SecAggRoundShard
{
    private const int BundleCiphertextSize = ShareBundlePlaintext.Size + ShareCipher.TagSize;

    // R0: accepted advertisements (the envelope, its bytes for the root's directory) and the keys seen in this shard.
    private readonly SortedDictionary<uint, (ClientEnvelope Envelope, byte[] Bytes)> _advertisements = [];
    private readonly HashSet<string> _seenKeys = new(StringComparer.Ordinal);
    // R1: each sender's bundles, one per neighbour.
    private readonly SortedDictionary<uint, EncryptedShareBundle[]> _bundles = [];
    // R2 on: the partial sum of this shard's masked inputs, per vector mod 2^bits.
    private ulong[][] _sums = [];
    // R3: the survivor-set hash every check must sign, and the accepted checks.
    private byte[] _survivorHash = [];
    private HashSet<uint> _survivors = [];
    private readonly SortedDictionary<uint, ConsistencyCheck> _checks = [];
    // R4: shares revealed by this shard's clients (owner -> (holder, share)) and their pair seeds ((dropped v, survivor u) -> s_uv).
    private HashSet<uint> _alive = [];
    private HashSet<uint> _dropped = [];
    private HashSet<uint> _sharedKeys = [];
    private readonly Dictionary<uint, List<(uint Holder, byte[] Share)>> _shares = [];
    private readonly Dictionary<(uint Dropped, uint Survivor), byte[]> _pairSeeds = [];

    private MessageRejection? Accept(ProtocolStage stage, ClientEnvelope envelope, ReadOnlyMemory<byte>? raw) => stage switch
    {
        ProtocolStage.AdvertiseKeys => AcceptKeys(envelope, raw),
        ProtocolStage.ShareKeys => AcceptShareKeys(envelope),
        ProtocolStage.MaskedInputCollection => AcceptMaskedInput(envelope.Body),
        ProtocolStage.ConsistencyCheck => AcceptCheck(envelope),
        _ => AcceptShares(envelope),
    };

    private MessageRejection? AcceptKeys(ClientEnvelope envelope, ReadOnlyMemory<byte>? raw)
    {
        PeerKeys? keys = PeerKeys.TryParse(envelope.Body);
        if (keys is null)
        {
            return new(RejectionReason.Malformed, "the advertised keys are not two distinct valid 32-byte X25519 public keys");
        }
        if (keys.HasSmallOrderKey)
        {
            // Every honest neighbour's agreement with it would fail: one client could otherwise stall the round.
            return new(RejectionReason.InvalidContent, "a small-order X25519 public key (every key agreement with it fails)");
        }
        string mask = Convert.ToHexString(keys.MaskPublicKey), enc = Convert.ToHexString(keys.EncryptionPublicKey);
        if (_seenKeys.Contains(mask) || _seenKeys.Contains(enc))
        {
            return new(RejectionReason.InvalidContent, "a public key already advertised by another client");
        }
        _seenKeys.Add(mask);
        _seenKeys.Add(enc);
        _advertisements.Add(envelope.SenderId, (envelope, raw?.ToArray() ?? MessageCodec.Encode(envelope)));
        return null;
    }

    private MessageRejection? AcceptShareKeys(ClientEnvelope envelope)
    {
        ShareKeys body = MessageCodec.Decode<ShareKeys>(envelope.Body, envelope.Body.Length);
        IReadOnlyList<uint> neighbours = Context.Graph!.NeighboursOf(envelope.SenderId);
        EncryptedShareBundle[]? shares = body.Shares;
        if (body.Version != 1 || shares is null || shares.Length != neighbours.Count)
        {
            return new(RejectionReason.InvalidContent, $"expected one share bundle for each of {neighbours.Count} neighbours");
        }
        for (int i = 0; i < shares.Length; i++)
        {
            if (shares[i] is null || shares[i].PeerId != neighbours[i] || shares[i].Ciphertext is not { Length: BundleCiphertextSize })
            {
                return new(RejectionReason.InvalidContent, $"bundle {i} must be addressed to neighbour {neighbours[i]} and be {BundleCiphertextSize} bytes");
            }
        }
        _bundles.Add(envelope.SenderId, shares);
        return null;
    }

    // Adds each masked input to the shard's running sum as it arrives (memory O(length), never O(clients x length)). The
    // vectors are read as slices of the body and, for whole-word encodings, added straight from their bytes.
    private MessageRejection? AcceptMaskedInput(ReadOnlyMemory<byte> bodyBytes)
    {
        ReadOnlyMemory<byte>?[]? vectors;
        int version;
        if (MaskedInputWire.TryRead(bodyBytes, out version, out ReadOnlyMemory<byte>[] read))
        {
            vectors = [.. read.Select(v => (ReadOnlyMemory<byte>?)v)];
        }
        else
        {
            MaskedInput body = MessageCodec.Decode<MaskedInput>(bodyBytes, bodyBytes.Length);
            version = body.Version;
            vectors = body.Vectors?.Select(v => v is null ? null : (ReadOnlyMemory<byte>?)v).ToArray();
        }
        var specs = Context.Parameters.Vectors;
        if (version != 1 || vectors is null || vectors.Length != specs.Count)
        {
            return new(RejectionReason.WrongLength, $"expected {specs.Count} vector(s)");
        }
        for (int j = 0; j < specs.Count; j++)
        {
            long expected = (long)specs[j].Length * ModularArithmetic.ElementBytes(specs[j].Bits);
            if (vectors[j] is not { } v || v.Length != expected)
            {
                return new(RejectionReason.WrongLength, $"vector {j} must be {expected} bytes ({specs[j].Length} elements of {specs[j].Bits} bits)");
            }
        }
        // Check every vector before touching the sums, so a bad element leaves the round as it was.
        var decoded = new ulong[specs.Count][];
        try
        {
            for (int j = 0; j < specs.Count; j++)
            {
                bool inRange;
                if (EncodedVectorSum.Supports(specs[j].Bits))
                {
                    inRange = EncodedVectorSum.InRange(vectors[j]!.Value.Span, specs[j].Bits);
                }
                else
                {
                    decoded[j] = ArrayPool<ulong>.Shared.Rent(specs[j].Length);
                    inRange = ModularArithmetic.TryDecode(vectors[j]!.Value.Span, specs[j].Bits, decoded[j].AsSpan(0, specs[j].Length));
                }
                if (!inRange)
                {
                    return new(RejectionReason.WrongLength, $"vector {j} has an element not below 2^{specs[j].Bits}");
                }
            }
            for (int j = 0; j < specs.Count; j++)
            {
                if (decoded[j] is null)
                {
                    EncodedVectorSum.Add(_sums[j], vectors[j]!.Value.Span, specs[j].Bits);
                }
                else
                {
                    ModularArithmetic.AddInPlace(_sums[j], decoded[j].AsSpan(0, specs[j].Length), specs[j].Bits);
                }
            }
        }
        finally
        {
            foreach (ulong[]? d in decoded)
            {
                if (d is not null)
                {
                    ArrayPool<ulong>.Shared.Return(d);
                }
            }
        }
        return null;
    }

    private MessageRejection? AcceptCheck(ClientEnvelope envelope)
    {
        ConsistencyCheck body = MessageCodec.Decode<ConsistencyCheck>(envelope.Body, envelope.Body.Length);
        if (body.Version != 1 || body.SurvivorSetHash is not { Length: SessionDerivation.HashSize } ||
            !CryptographicOperations.FixedTimeEquals(body.SurvivorSetHash, _survivorHash))
        {
            return new(RejectionReason.InvalidContent, "the signed survivor-set hash does not match the announced survivor set");
        }
        // Tags the server cannot check (it lacks the keys) but whose shape it can: one per surviving neighbour.
        uint[] expectedPeers = [.. Context.Graph!.NeighboursOf(envelope.SenderId).Where(_survivors.Contains).Order()];
        if (body.TaggedPeers is null || !body.TaggedPeers.AsSpan().SequenceEqual(expectedPeers) ||
            body.Tags is null || body.Tags.Length != expectedPeers.Length * SessionDerivation.TagSize)
        {
            return new(RejectionReason.InvalidContent, $"consistency tags must be exactly one {SessionDerivation.TagSize}-byte tag per surviving neighbour of the sender, ascending ({expectedPeers.Length} expected)");
        }
        _checks.Add(envelope.SenderId, body);
        return null;
    }

    // R4: self-mask seed shares for survivors, mask key shares for dropped clients (never both for one owner), and the
    // responder's pair seeds with its dropped neighbours.
    private MessageRejection? AcceptShares(ClientEnvelope envelope)
    {
        UnmaskingShares body = MessageCodec.Decode<UnmaskingShares>(envelope.Body, envelope.Body.Length);
        if (body.Version != 1 || body.Shares is null)
        {
            return new(RejectionReason.Malformed, "unmasking shares missing");
        }
        uint holder = envelope.SenderId;
        uint previous = 0;
        foreach (RevealedShare? s in body.Shares)
        {
            if (s is null || s.OwnerId <= previous || s.Share is not { Length: ShamirScheme.ShareSize })
            {
                return new(RejectionReason.InvalidContent, "shares must be 40 bytes, one per owner, ascending owner id");
            }
            previous = s.OwnerId;
            bool holds = s.OwnerId == holder || (_sharedKeys.Contains(s.OwnerId) && Context.Graph!.AreNeighbours(holder, s.OwnerId));
            ShareKind? expectedKind = _alive.Contains(s.OwnerId) ? ShareKind.SelfMaskSeed : _dropped.Contains(s.OwnerId) ? ShareKind.MaskPrivateKey : null;
            if (!holds || expectedKind != s.Kind)
            {
                return new(RejectionReason.InvalidContent, $"client {holder} cannot reveal a {s.Kind} share of client {s.OwnerId}");
            }
        }
        // Exactly one 32-byte seed per dropped neighbour, ascending: every dropped client sent its shares to all its
        // neighbours in R1 (it is in U2), so every surviving neighbour masked with it.
        RevealedPairSeed[] seeds = body.PairSeeds ?? [];
        // The holder's k neighbours checked against the dropped set (one lookup each), not every dropped client against
        // the graph: the same set, without a roster-sized scan per responder.
        uint[] droppedNeighbours = [.. Context.Graph!.NeighboursOf(holder).Where(_dropped.Contains).Order()];
        if (seeds.Length != droppedNeighbours.Length)
        {
            return new(RejectionReason.InvalidContent, $"client {holder} must reveal {droppedNeighbours.Length} pair seeds, one per dropped neighbour; it sent {seeds.Length}");
        }
        for (int i = 0; i < seeds.Length; i++)
        {
            if (seeds[i] is null || seeds[i].PeerId != droppedNeighbours[i] || seeds[i].Seed is not { Length: SessionDerivation.HashSize })
            {
                return new(RejectionReason.InvalidContent, "pair seeds must be 32 bytes, one per dropped neighbour, ascending peer id");
            }
        }
        foreach (RevealedPairSeed p in seeds)
        {
            _pairSeeds[(p.PeerId, holder)] = p.Seed;
        }
        foreach (RevealedShare s in body.Shares)
        {
            if (!_shares.TryGetValue(s.OwnerId, out var list))
            {
                _shares[s.OwnerId] = list = [];
            }
            list.Add((holder, s.Share));
        }
        return null;
    }
}
