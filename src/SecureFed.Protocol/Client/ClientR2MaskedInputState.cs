using SecureFed.Protocol.Concurrency;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>
/// R2 MaskedInputCollection: the client sent its masked input and waits for the <see cref="SurvivorSet"/>. On it, the
/// client checks the set, signs its hash and MACs it for each surviving neighbour (R3 ConsistencyCheck).
/// </summary>
public sealed class ClientR2MaskedInputState : ClientState
{
    private readonly ClientSession _session;
    private readonly ClientSecrets _secrets;
    private readonly HashSet<uint> _deliveringPeers;

    internal ClientR2MaskedInputState(ClientContext context, ClientSession session, ClientSecrets secrets, IEnumerable<uint> deliveringPeers)
        : base(context)
    {
        _session = session;
        _secrets = secrets;
        _deliveringPeers = [.. deliveringPeers];
    }

    /// <inheritdoc />
    public override string Name => "R2 MaskedInputCollection";

    private protected override ServerMessage Decode(ReadOnlyMemory<byte> bytes, int maxBytes) =>
        IdListMessages.TryReadSurvivorSet(bytes, maxBytes) ?? base.Decode(bytes, maxBytes);

    private protected override ClientTransition HandleCore(ServerMessage message)
    {
        if (message is not SurvivorSet set)
        {
            throw Violation($"expected a SurvivorSet, got {message.GetType().Name}");
        }
        // U3 comes as a bitmap over the roster (secagg.md 2.3): a wrong length, a bit past the roster or a bit for a
        // client that never advertised keys (outside U1) is not a survivor set at all.
        uint[] survivors = RosterBitmap.TryDecode(Context.Parameters, set.Survivors ?? throw Violation("survivor set missing"))
            ?? throw Violation("the survivor set is not a bitmap over the roster");
        int rosterCursor = 0;
        int survivingHolders = 0;
        // The survivors are as many as the roster, the neighbours k: both ascending, so walked side by side.
        ReadOnlySpan<uint> neighbours = _session.AscendingNeighbours;
        int neighbourCursor = 0;
        foreach (uint s in survivors)
        {
            if (!_session.Advertised.ContainsNext(s, ref rosterCursor))
            {
                throw Violation($"client {s} is listed as a survivor but is not in U1");
            }
            while (neighbourCursor < neighbours.Length && neighbours[neighbourCursor] < s)
            {
                neighbourCursor++;
            }
            bool neighbour = s != ClientId && neighbourCursor < neighbours.Length && neighbours[neighbourCursor] == s;
            // A neighbour can only have survived R2 if it sent this client its shares in R1.
            if (neighbour && !_deliveringPeers.Contains(s))
            {
                throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, $"client {s} is listed as a survivor but sent no shares");
            }
            survivingHolders += neighbour || s == ClientId ? 1 : 0;
        }
        if (Array.BinarySearch(survivors, ClientId) < 0)
        {
            throw new ClientAbortException(AbortReason.InconsistentSurvivorSet, "this client is missing from the survivor set");
        }
        // Each survivor's self mask is rebuilt from its holders' shares: this client's holders must be enough.
        if (survivingHolders < Context.Parameters.Threshold)
        {
            throw new ClientAbortException(AbortReason.TooFewClients, $"{survivingHolders} surviving share holders, fewer than t = {Context.Parameters.Threshold}");
        }
        byte[] hash = SessionDerivation.SurvivorSetHash(_session.SessionId, survivors);
        // A tag per surviving neighbour: each checks its tag from this client instead of this envelope's signature.
        uint[] tagged = [.. _session.Neighbours.Where(v => Array.BinarySearch(survivors, v) >= 0).Order()];
        var tags = new byte[tagged.Length * SessionDerivation.TagSize];
        // One HMAC-SHA256 per neighbour, shared with a helper thread if one is free (the caller never waits for one
        // that has not started: under load, 40 tags in a Parallel.For took milliseconds).
        BoundedParallel.ForCallerFirst(Context.Parallelism, tagged.Length, i => SessionDerivation.ConsistencyTag(_secrets.ConsistencyKeys![tagged[i]],
            _session.SessionId, ClientId, tagged[i], hash, tags.AsSpan(i * SessionDerivation.TagSize, SessionDerivation.TagSize)));
        byte[] body = MessageCodec.Encode(new ConsistencyCheck { SurvivorSetHash = hash, TaggedPeers = tagged, Tags = tags });
        ClientEnvelope envelope = EnvelopeSigning.Seal(Context.Identity, _session.SessionId, ClientId, ProtocolStage.ConsistencyCheck, body);
        // The survivor set itself is not kept (it is as long as the roster): R4 needs only which of this client's
        // neighbours survived (every one delivered shares, checked above), which decides each reveal (secagg.md 8).
        return new ClientTransition(new ClientR3ConsistencyCheckState(Context, _session, _secrets, hash, tagged), envelope);
    }

    private protected override void ReleaseSecrets() => _secrets.Dispose();
}
