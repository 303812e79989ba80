using System.Security.Cryptography;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// R3 ConsistencyCheck: collects survivors' signed survivor-set hashes with their consistency tags for their surviving
/// neighbours; closes with the unmasking request, which hands each recipient the tags addressed to it.
/// </summary>
public sealed class ServerR3ConsistencyCheckState : ServerState
{
    private readonly ulong[][] _sums;
    private readonly byte[] _survivorHash;
    private readonly SortedDictionary<uint, ConsistencyCheck> _checks = [];
    private readonly HashSet<uint> _survivors;

    internal ServerR3ConsistencyCheckState(ServerContext context, ulong[][] sums)
        : base(context)
    {
        _sums = sums;
        _survivorHash = SessionDerivation.SurvivorSetHash(context.SessionId, context.Survivors);
        _survivors = new HashSet<uint>(context.Survivors);
        Expected = _survivors;
    }

    /// <inheritdoc />
    public override string Name => "R3 ConsistencyCheck";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.ConsistencyCheck;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected { get; }

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _checks.Keys;

    private protected override MessageRejection? Accept(ClientEnvelope envelope)
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

    /// <inheritdoc />
    public override ServerTransition CloseStage()
    {
        uint[] signers = [.. _checks.Keys];
        if (signers.Length < Context.Parameters.Threshold)
        {
            return Abort(AbortReason.TooFewClients, $"{signers.Length} consistency checks, fewer than t = {Context.Parameters.Threshold}", Context.Survivors);
        }
        Context.Signers = signers;
        var survivors = new HashSet<uint>(Context.Survivors);
        uint[] dropped = [.. Context.SharedKeys.Where(id => !survivors.Contains(id))];
        // Each client gets the tags its neighbours in U4 addressed to it.
        var outgoing = signers.Select(r => new OutgoingMessage([r], TagsFor(r, dropped))).ToList();
        return new ServerTransition(new ServerR4UnmaskingState(Context, _sums, dropped), outgoing);
    }

    private UnmaskingRequest TagsFor(uint recipient, uint[] dropped)
    {
        uint[] senders = [.. Context.Graph!.NeighboursOf(recipient).Where(_checks.ContainsKey).Order()];
        var tags = new byte[senders.Length * SessionDerivation.TagSize];
        for (int i = 0; i < senders.Length; i++)
        {
            // Present: Accept checked that each sender tagged exactly its surviving neighbours.
            _checks[senders[i]].TagFor(recipient).CopyTo(tags.AsSpan(i * SessionDerivation.TagSize));
        }
        return new UnmaskingRequest { Alive = Context.Survivors, Dropped = dropped, TagSenders = senders, Tags = tags };
    }
}
