using System.Security.Cryptography;
using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Concurrency;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>
/// R3 ConsistencyCheck: the client signed the survivor set and waits for the <see cref="UnmaskingRequest"/>. On it,
/// the client checks that at least t survivors signed the same set and that no client is both alive and dropped,
/// then reveals exactly one kind of share per owner it holds shares of (R4 Unmasking) and completes.
/// </summary>
public sealed class ClientR3ConsistencyCheckState : ClientState
{
    private readonly ClientSession _session;
    private readonly ClientSecrets _secrets;
    private readonly uint[] _survivors;
    private readonly byte[] _survivorHash;

    internal ClientR3ConsistencyCheckState(ClientContext context, ClientSession session, ClientSecrets secrets, uint[] survivors, byte[] survivorHash)
        : base(context)
    {
        _session = session;
        _secrets = secrets;
        _survivors = survivors;
        _survivorHash = survivorHash;
    }

    /// <inheritdoc />
    public override string Name => "R3 ConsistencyCheck";

    private protected override ClientTransition HandleCore(ServerMessage message)
    {
        if (message is not UnmaskingRequest request)
        {
            throw Violation($"expected an UnmaskingRequest, got {message.GetType().Name}");
        }
        uint[] alive = request.Alive ?? throw Violation("unmasking request without alive set");
        uint[] dropped = request.Dropped ?? throw Violation("unmasking request without dropped set");
        if (!alive.AsSpan().SequenceEqual(_survivors))
        {
            throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, "the alive set differs from the survivor set this client signed");
        }
        if (!IsStrictlyAscending(dropped))
        {
            throw Violation("dropped ids must be strictly ascending");
        }
        var aliveSet = new HashSet<uint>(alive);
        if (dropped.Any(aliveSet.Contains))
        {
            throw new ClientAbortException(AbortReason.ConflictingUnmaskingRequest, "a client is named both alive and dropped");
        }
        CheckSignatures(request.ConsistencySignatures, aliveSet);

        var droppedSet = new HashSet<uint>(dropped);
        var revealed = new Dictionary<uint, ShareKind>();
        var shares = new List<RevealedShare>();
        foreach (uint owner in _secrets.HeldShares.Keys.Order())
        {
            ShareKind kind;
            if (aliveSet.Contains(owner))
            {
                kind = ShareKind.SelfMaskSeed;
            }
            else if (droppedSet.Contains(owner))
            {
                kind = ShareKind.MaskPrivateKey;
            }
            else
            {
                continue;
            }
            ReadOnlySpan<byte> held = _secrets.HeldShares[owner].Span;
            int offset = kind == ShareKind.SelfMaskSeed ? 0 : ShamirScheme.ShareSize;
            shares.Add(new RevealedShare { OwnerId = owner, Kind = kind, Share = held.Slice(offset, ShamirScheme.ShareSize).ToArray() });
            revealed.Add(owner, kind);
        }
        // s_uv with each dropped peer this client masked with: the server removes m_uv directly (secagg.md section 8).
        RevealedPairSeed[] pairSeeds = [.. _secrets.PairSeeds.Where(kv => droppedSet.Contains(kv.Key)).OrderBy(kv => kv.Key)
            .Select(kv => new RevealedPairSeed { PeerId = kv.Key, Seed = kv.Value.Span.ToArray() })];
        byte[] body = MessageCodec.Encode(new UnmaskingShares { Shares = [.. shares], PairSeeds = pairSeeds });
        foreach (RevealedShare s in shares)
        {
            CryptographicOperations.ZeroMemory(s.Share);
        }
        foreach (RevealedPairSeed s in pairSeeds)
        {
            CryptographicOperations.ZeroMemory(s.Seed);
        }
        ClientEnvelope envelope = EnvelopeSigning.Seal(Context.Identity, _session.SessionId, ClientId, ProtocolStage.Unmasking, body);
        _secrets.Dispose();
        return new ClientTransition(new ClientCompletedState(Context, revealed), envelope);
    }

    private void CheckSignatures(ClientEnvelope[]? signatures, HashSet<uint> alive)
    {
        // The server sends the signatures of this client's holders (its neighbours and itself) that signed.
        int holders = signatures?.Count(e => e is not null && (e.SenderId == ClientId || _session.IsNeighbour(e.SenderId))) ?? 0;
        if (signatures is null || holders < Context.Parameters.Threshold)
        {
            throw new ClientAbortException(AbortReason.TooFewClients, $"{holders} consistency signatures from share holders, fewer than t = {Context.Parameters.Threshold}");
        }
        var signers = new HashSet<uint>();
        foreach (ClientEnvelope? e in signatures)
        {
            if (e is null || e.Stage != ProtocolStage.ConsistencyCheck || !alive.Contains(e.SenderId) || !signers.Add(e.SenderId))
            {
                throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, "consistency signatures must come from distinct survivors");
            }
        }
        // t valid signatures from holders over the same hash are what the guarantee needs (Bonawitz et al. 2017, round
        // 4); checking the first t holders' entries, in the order sent, keeps the client's work at t verifications.
        ClientEnvelope[] needed = [.. signatures.Where(e => e!.SenderId == ClientId || _session.IsNeighbour(e.SenderId)).Take(Context.Parameters.Threshold)!];
        var valid = new bool[needed.Length];
        BoundedParallel.For(Context.Parallelism, needed.Length, i => valid[i] = EnvelopeSigning.Verify(Context.Parameters, _session.SessionId, needed[i]));
        int bad = BoundedParallel.FirstFailure(valid);
        if (bad >= 0)
        {
            throw new ClientAbortException(AbortReason.InvalidSignature, $"bad consistency signature from client {needed[bad].SenderId}");
        }
        foreach (ClientEnvelope e in needed)
        {
            ConsistencyCheck check;
            try
            {
                check = MessageCodec.Decode<ConsistencyCheck>(e.Body, 1024);
            }
            catch (MalformedMessageException)
            {
                throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, $"malformed consistency check from client {e.SenderId}");
            }
            if (check.SurvivorSetHash is null || !CryptographicOperations.FixedTimeEquals(check.SurvivorSetHash, _survivorHash))
            {
                throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, $"client {e.SenderId} signed a different survivor set");
            }
        }
    }

    private static bool IsStrictlyAscending(uint[] ids)
    {
        for (int i = 1; i < ids.Length; i++)
        {
            if (ids[i] <= ids[i - 1])
            {
                return false;
            }
        }
        return ids.Length == 0 || ids[0] > 0;
    }

    private protected override void ReleaseSecrets() => _secrets.Dispose();
}
