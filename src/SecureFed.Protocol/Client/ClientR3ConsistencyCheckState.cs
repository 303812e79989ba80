using System.Security.Cryptography;
using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>
/// R3 ConsistencyCheck: the client signed the survivor set and waits for the <see cref="UnmaskingRequest"/>. On it,
/// the client checks that at least t of its share holders saw the same set (their consistency tags) and that no client
/// is both alive and dropped,
/// then reveals exactly one kind of share per owner it holds shares of (R4 Unmasking) and completes.
/// </summary>
public sealed class ClientR3ConsistencyCheckState : ClientState
{
    private readonly ClientSession _session;
    private readonly ClientSecrets _secrets;
    private readonly int _survivorCount;
    private readonly byte[] _survivorHash;

    // The survivor set is known by its length and hash (SHA-256 binds the list), not kept: it is as long as the roster.
    internal ClientR3ConsistencyCheckState(ClientContext context, ClientSession session, ClientSecrets secrets, int survivorCount, byte[] survivorHash)
        : base(context)
    {
        _session = session;
        _secrets = secrets;
        _survivorCount = survivorCount;
        _survivorHash = survivorHash;
    }

    /// <inheritdoc />
    public override string Name => "R3 ConsistencyCheck";

    private protected override ServerMessage Decode(ReadOnlyMemory<byte> bytes, int maxBytes) =>
        IdListMessages.TryReadUnmaskingRequest(bytes, maxBytes) ?? base.Decode(bytes, maxBytes);

    private protected override ClientTransition HandleCore(ServerMessage message)
    {
        if (message is not UnmaskingRequest request)
        {
            throw Violation($"expected an UnmaskingRequest, got {message.GetType().Name}");
        }
        uint[] alive = request.Alive ?? throw Violation("unmasking request without alive set");
        uint[] dropped = request.Dropped ?? throw Violation("unmasking request without dropped set");
        if (alive.Length != _survivorCount ||
            !CryptographicOperations.FixedTimeEquals(SessionDerivation.SurvivorSetHash(_session.SessionId, alive), _survivorHash))
        {
            throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, "the alive set differs from the survivor set this client signed");
        }
        if (!IsStrictlyAscending(dropped))
        {
            throw Violation("dropped ids must be strictly ascending");
        }
        // alive is the survivor set this client checked to be strictly ascending, so both lists are searched, not copied
        // into sets (each is as long as the roster).
        if (dropped.Any(d => Array.BinarySearch(alive, d) >= 0))
        {
            throw new ClientAbortException(AbortReason.ConflictingUnmaskingRequest, "a client is named both alive and dropped");
        }
        CheckTags(request, alive);

        var revealed = new Dictionary<uint, ShareKind>();
        var shares = new List<RevealedShare>();
        foreach (uint owner in _secrets.HeldShares!.Ids.Order())
        {
            ShareKind kind;
            if (Array.BinarySearch(alive, owner) >= 0)
            {
                kind = ShareKind.SelfMaskSeed;
            }
            else if (Array.BinarySearch(dropped, owner) >= 0)
            {
                kind = ShareKind.MaskPrivateKey;
            }
            else
            {
                continue;
            }
            ReadOnlySpan<byte> held = _secrets.HeldShares[owner];
            int offset = kind == ShareKind.SelfMaskSeed ? 0 : ShamirScheme.ShareSize;
            shares.Add(new RevealedShare { OwnerId = owner, Kind = kind, Share = held.Slice(offset, ShamirScheme.ShareSize).ToArray() });
            revealed.Add(owner, kind);
        }
        // s_uv with each dropped peer this client masked with: the server removes m_uv directly (secagg.md section 8).
        SecretTable seeds = _secrets.PairSeeds!;
        RevealedPairSeed[] pairSeeds = [.. seeds.Ids.Where(v => Array.BinarySearch(dropped, v) >= 0).Order().Select(v => new RevealedPairSeed { PeerId = v, Seed = seeds[v].ToArray() })];
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

    // t holders saw the same survivor set (Bonawitz et al. 2017, round 4): this client, and t - 1 neighbours whose tags
    // verify under the key only the two of them hold. The server cannot make a valid tag, so it cannot show this client
    // agreement that is not there. An invalid tag is skipped, not fatal: the server cannot check tags, and one corrupt
    // neighbour must not be able to abort everyone. Checking stops at t - 1 valid tags.
    private void CheckTags(UnmaskingRequest request, uint[] alive)
    {
        uint[] senders = request.TagSenders ?? throw Violation("unmasking request without tag senders");
        byte[] tags = request.Tags ?? throw Violation("unmasking request without tags");
        if (tags.Length != senders.Length * SessionDerivation.TagSize)
        {
            throw Violation($"{tags.Length} tag bytes for {senders.Length} senders");
        }
        if (!IsStrictlyAscending(senders) || senders.Any(v => v == ClientId || !_session.IsNeighbour(v) || Array.BinarySearch(alive, v) < 0))
        {
            throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, "consistency tags must come from distinct surviving neighbours in ascending order");
        }
        int needed = Context.Parameters.Threshold - 1;
        if (senders.Length < needed)
        {
            throw new ClientAbortException(AbortReason.TooFewClients, $"{senders.Length + 1} consistency checks from share holders, fewer than t = {Context.Parameters.Threshold}");
        }
        Span<byte> expected = stackalloc byte[SessionDerivation.TagSize];
        int valid = 0;
        try
        {
            for (int i = 0; i < senders.Length && valid < needed; i++)
            {
                SessionDerivation.ConsistencyTag(_secrets.ConsistencyKeys![senders[i]], _session.SessionId, senders[i], ClientId, _survivorHash, expected);
                if (CryptographicOperations.FixedTimeEquals(expected, tags.AsSpan(i * SessionDerivation.TagSize, SessionDerivation.TagSize)))
                {
                    valid++;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
        }
        if (valid < needed)
        {
            throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, $"{valid + 1} share holders (with this client) vouch for this survivor set, fewer than t = {Context.Parameters.Threshold}");
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
