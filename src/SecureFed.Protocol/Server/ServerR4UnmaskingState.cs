using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// R4 Unmasking: collects revealed shares (self-mask seed shares for survivors, mask key shares for dropped
/// clients, never both for one owner) and each responder's pair seeds with its dropped neighbours; closes by
/// reconstructing the self-mask seeds (and a dropped client's mask key only where a surviving neighbour's pair seed
/// is missing) and removing every mask from the sum.
/// </summary>
public sealed class ServerR4UnmaskingState : ServerState
{
    private readonly ulong[][] _sums;
    private readonly HashSet<uint> _alive;
    private readonly HashSet<uint> _dropped;
    private readonly HashSet<uint> _sharedKeys;
    private readonly HashSet<uint> _received = [];
    // owner -> (holder, share) pairs, in arrival order.
    private readonly Dictionary<uint, List<(uint Holder, byte[] Share)>> _shares = [];
    // (dropped v, survivor u) -> s_uv revealed by u.
    private readonly Dictionary<(uint Dropped, uint Survivor), byte[]> _pairSeeds = [];

    internal ServerR4UnmaskingState(ServerContext context, ulong[][] sums, uint[] dropped)
        : base(context)
    {
        _sums = sums;
        _alive = [.. context.Survivors];
        _dropped = [.. dropped];
        _sharedKeys = [.. context.SharedKeys];
        Expected = new HashSet<uint>(context.Signers);
    }

    /// <inheritdoc />
    public override string Name => "R4 Unmasking";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.Unmasking;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected { get; }

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _received;

    private protected override MessageRejection? Accept(ClientEnvelope envelope)
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
        uint[] droppedNeighbours = [.. _dropped.Where(v => Context.Graph!.AreNeighbours(holder, v)).Order()];
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
        _received.Add(holder);
        return null;
    }

    /// <inheritdoc />
    public override ServerTransition CloseStage()
    {
        if (_received.Count < Context.Parameters.Threshold)
        {
            return Abort(AbortReason.TooFewClients, $"{_received.Count} clients revealed shares, fewer than t = {Context.Parameters.Threshold}", Context.Signers);
        }
        // Every mask a survivor shared with a dropped client; a dropped client's mask key is rebuilt only when some
        // surviving neighbour of it did not reveal their pair seed.
        (uint Dropped, uint Survivor)[] pairs = [.. _dropped.Order().SelectMany(v => Context.Survivors.Where(u => Context.Graph!.AreNeighbours(u, v)).Select(u => (v, u)))];
        var rebuildKeys = new HashSet<uint>(pairs.Where(p => !_pairSeeds.ContainsKey(p)).Select(p => p.Dropped));
        using var secrets = new ReconstructedSecrets();
        string? failure = secrets.Reconstruct(Context, _alive, rebuildKeys, _shares);
        if (failure is not null)
        {
            return Abort(AbortReason.ReconstructionFailed, failure, Context.Signers);
        }
        MaskRemoval.Remove(Context, _sums, secrets, pairs, _pairSeeds);
        foreach (var list in _shares.Values)
        {
            foreach (var (_, share) in list)
            {
                Array.Clear(share);
            }
        }
        foreach (byte[] seed in _pairSeeds.Values)
        {
            Array.Clear(seed);
        }
        var result = new AggregationResult(_sums, Context.Survivors, [.. _dropped.Order()]);
        return new ServerTransition(new ServerCompletedState(Context, result));
    }
}
