using System.Security.Cryptography;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>R3 ConsistencyCheck: collects survivors' signatures over the survivor set; closes with the unmasking request.</summary>
public sealed class ServerR3ConsistencyCheckState : ServerState
{
    private readonly ulong[][] _sums;
    private readonly byte[] _survivorHash;
    private readonly SortedDictionary<uint, ClientEnvelope> _signatures = [];

    internal ServerR3ConsistencyCheckState(ServerContext context, ulong[][] sums)
        : base(context)
    {
        _sums = sums;
        _survivorHash = SessionDerivation.SurvivorSetHash(context.SessionId, context.Survivors);
        Expected = new HashSet<uint>(context.Survivors);
    }

    /// <inheritdoc />
    public override string Name => "R3 ConsistencyCheck";

    /// <inheritdoc />
    public override ProtocolStage? Stage => ProtocolStage.ConsistencyCheck;

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Expected { get; }

    /// <inheritdoc />
    public override IReadOnlyCollection<uint> Received => _signatures.Keys;

    private protected override MessageRejection? Accept(ClientEnvelope envelope)
    {
        ConsistencyCheck body = MessageCodec.Decode<ConsistencyCheck>(envelope.Body, envelope.Body.Length);
        if (body.Version != 1 || body.SurvivorSetHash is not { Length: SessionDerivation.HashSize } ||
            !CryptographicOperations.FixedTimeEquals(body.SurvivorSetHash, _survivorHash))
        {
            return new(RejectionReason.InvalidContent, "the signed survivor-set hash does not match the announced survivor set");
        }
        _signatures.Add(envelope.SenderId, envelope);
        return null;
    }

    /// <inheritdoc />
    public override ServerTransition CloseStage()
    {
        uint[] signers = [.. _signatures.Keys];
        if (signers.Length < Context.Parameters.Threshold)
        {
            return Abort(AbortReason.TooFewClients, $"{signers.Length} consistency signatures, fewer than t = {Context.Parameters.Threshold}", Context.Survivors);
        }
        Context.Signers = signers;
        var survivors = new HashSet<uint>(Context.Survivors);
        uint[] dropped = [.. Context.SharedKeys.Where(id => !survivors.Contains(id))];
        // Each client gets the signatures of its own share holders (all signers for the complete graph).
        var outgoing = signers.Select(r => new OutgoingMessage([r], new UnmaskingRequest
        {
            Alive = Context.Survivors,
            Dropped = dropped,
            ConsistencySignatures = [.. Context.Graph!.NeighboursOf(r).Append(r).Order().Where(_signatures.ContainsKey).Select(id => _signatures[id])],
        })).ToList();
        return new ServerTransition(new ServerR4UnmaskingState(Context, _sums, dropped), outgoing);
    }
}
