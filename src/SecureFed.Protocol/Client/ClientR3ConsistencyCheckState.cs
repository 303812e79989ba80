using System.Security.Cryptography;
using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>
/// R3 ConsistencyCheck: the client signed the survivor set and waits for the <see cref="UnmaskingRequest"/>. On it,
/// the client checks that at least t of its share holders saw the same set (their consistency tags), then reveals
/// exactly one kind of share per owner it holds shares of (R4 Unmasking) and completes. Which kind is decided by the
/// survivor set this client signed, never by the server: the request carries only the tags.
/// </summary>
public sealed class ClientR3ConsistencyCheckState : ClientState
{
    private readonly ClientSession _session;
    private readonly ClientSecrets _secrets;
    private readonly byte[] _survivorHash;
    private readonly uint[] _survivingNeighbours;

    // The survivor set is known by its hash, and by which neighbours it lists (ascending; all delivered shares in R1),
    // not kept whole: it is as long as the roster.
    internal ClientR3ConsistencyCheckState(ClientContext context, ClientSession session, ClientSecrets secrets, byte[] survivorHash, uint[] survivingNeighbours)
        : base(context)
    {
        _session = session;
        _secrets = secrets;
        _survivorHash = survivorHash;
        _survivingNeighbours = survivingNeighbours;
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
        CheckTags(request);

        // The owners this client holds shares of are itself and D_u, the senders of its share delivery (all in U2). Of
        // those, the survivor set it signed (U3) holds itself and its surviving neighbours: their self-mask seed shares
        // are revealed; every other owner is in D_u \ U3 = D_u ∩ (U2 \ U3), a dropped client: its mask key share.
        var revealed = new Dictionary<uint, ShareKind>();
        var shares = new List<RevealedShare>();
        foreach (uint owner in _secrets.HeldShares!.Ids.Order())
        {
            ShareKind kind = Survived(owner) ? ShareKind.SelfMaskSeed : ShareKind.MaskPrivateKey;
            ReadOnlySpan<byte> held = _secrets.HeldShares[owner];
            int offset = kind == ShareKind.SelfMaskSeed ? 0 : ShamirScheme.ShareSize;
            shares.Add(new RevealedShare { OwnerId = owner, Kind = kind, Share = held.Slice(offset, ShamirScheme.ShareSize).ToArray() });
            revealed.Add(owner, kind);
        }
        // s_uv with each dropped peer this client masked with (D_u \ U3): the server removes m_uv directly (secagg.md 8).
        SecretTable seeds = _secrets.PairSeeds!;
        RevealedPairSeed[] pairSeeds = [.. seeds.Ids.Where(v => !Survived(v)).Order().Select(v => new RevealedPairSeed { PeerId = v, Seed = seeds[v].ToArray() })];
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

    // In the survivor set this client signed: itself (it checked that it is listed) or a neighbour listed there.
    private bool Survived(uint id) => id == ClientId || Array.BinarySearch(_survivingNeighbours, id) >= 0;

    // t holders saw the same survivor set (Bonawitz et al. 2017, round 4): this client, and t - 1 neighbours whose tags
    // verify under the key only the two of them hold. The server cannot make a valid tag, so it cannot show this client
    // agreement that is not there. An invalid tag is skipped, not fatal: the server cannot check tags, and one corrupt
    // neighbour must not be able to abort everyone. Checking stops at t - 1 valid tags.
    private void CheckTags(UnmaskingRequest request)
    {
        uint[] senders = request.TagSenders ?? throw Violation("unmasking request without tag senders");
        byte[] tags = request.Tags ?? throw Violation("unmasking request without tags");
        if (tags.Length != senders.Length * SessionDerivation.TagSize)
        {
            throw Violation($"{tags.Length} tag bytes for {senders.Length} senders");
        }
        if (!IsStrictlyAscending(senders) || senders.Any(v => v == ClientId || Array.BinarySearch(_survivingNeighbours, v) < 0))
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
