using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// One shard of a masking round (secagg.md): validates its clients' envelopes with the unsharded server's typed
/// refusals, keeps their per-stage state and the partial sum of their masked inputs, routes share bundles, tags and
/// revealed shares to the shards of their recipients or owners, and at R4 removes its survivors' self masks and its
/// survivors' pair masks with dropped neighbours from its partial sum (secagg.md section 8). Stage rules are in
/// SecAggRoundShard.Stages.cs, routing and unmasking in SecAggRoundShard.Closes.cs.
/// </summary>
internal sealed partial class SecAggRoundShard : IRoundShard
{
    private readonly HashSet<uint> _received = [];
    private HashSet<uint> _expected;
    private long? _anyStageLimit;
    private ProtocolStage? _stage = ProtocolStage.AdvertiseKeys;
    // The close being routed: the decision applied, batches still to come.
    private int? _routing;
    private readonly HashSet<int> _batchesFrom = [];
    private readonly List<ShardItem> _inbound = [];
    private Completed? _completed;
    // Shard of every roster client (SHA-256 each, so computed once; null with one shard, where it is always 0).
    private readonly Dictionary<uint, int>? _shardOf;

    public SecAggRoundShard(RoundParameters parameters, int shard, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, shardCount);
        Context = new ServerContext(parameters);
        Shard = shard;
        ShardCount = shardCount;
        _shardOf = shardCount == 1 ? null : parameters.ClientIds.ToDictionary(id => id, id => ShardMap.ShardOf(parameters.Configuration.RoundId, id, shardCount));
        _expected = [.. parameters.ClientIds.Where(Mine)];
    }

    // A finished close: the messages for this shard's clients (typed; encoded only for the contract) and the R4 outcome.
    // Once encoded for a host, only the bytes are needed: the typed messages are let go (at R0 they are every client's
    // key directory with its proof, ~10 KB each at n = 10,000, which would otherwise be held twice until the next close).
    internal sealed record Completed(int Close, IReadOnlyList<OutgoingMessage> Messages, ulong[][]? Partial, ShardFailure? Failure)
    {
        private ShardResult? _encoded;

        public IReadOnlyList<OutgoingMessage> Messages { get; private set; } = Messages;

        public ShardResult Encode(int shard)
        {
            if (_encoded is null)
            {
                _encoded = new ShardResult(shard, Close,
                    [.. Messages.Select(m => new SentMessage([.. m.Recipients.Order()], MessageCodec.EncodeServerMessage(m.Message)))], Partial, Failure);
                Messages = [];
            }
            return _encoded;
        }
    }

    internal ServerContext Context { get; }

    internal IReadOnlyCollection<uint> ReceivedIds => _received;

    internal Completed? LastCompleted => _completed;

    public RoundScheme Scheme => RoundScheme.Masking;

    public int Shard { get; }

    public int ShardCount { get; }

    public int? OpenClose => (int?)_stage;

    public int Received => _received.Count;

    public MessageRejection? Handle(ReadOnlyMemory<byte> envelope)
    {
        if (_stage is not { } stage)
        {
            return Refuse(RejectionReason.RoundClosed, "the round is over");
        }
        // Before parsing, only the round's largest envelope bounds the bytes: a late envelope of an earlier, larger
        // stage (a masked input arriving after its stage closed) must be refused as wrong-stage, which tells its device
        // it was dropped, not as oversized, which fails the device. The stage's own limit applies to the body below.
        long limit = _anyStageLimit ??= Enum.GetValues<ProtocolStage>().Max(s => ServerLimits.MaxEnvelopeBytes(Context.Parameters, s));
        if (envelope.Length > limit)
        {
            return Refuse(RejectionReason.Oversized, $"{envelope.Length} bytes exceed the round's largest envelope of {limit} bytes (now {stage})");
        }
        // A masked input's envelope is read in place (its body is hundreds of KB): the same checks on the same fields.
        if (stage == ProtocolStage.MaskedInputCollection && EnvelopeView.TryRead(envelope) is { } view)
        {
            return Handle(view, null, envelope);
        }
        ClientEnvelope decoded;
        try
        {
            decoded = MessageCodec.Decode<ClientEnvelope>(envelope, (int)Math.Min(limit, int.MaxValue));
        }
        catch (MalformedMessageException e)
        {
            return Refuse(RejectionReason.Malformed, e.Message);
        }
        return Handle(decoded, envelope);
    }

    // The checks every stage shares (sender, shard, stage, duplicates, signature), then the stage's own rules, which
    // validate the body completely before recording anything. `raw` is the envelope's bytes when they came as bytes.
    internal MessageRejection? Handle(ClientEnvelope envelope, ReadOnlyMemory<byte>? raw = null)
    {
        if (_stage is not { } stage)
        {
            return Refuse(RejectionReason.RoundClosed, "the round is over");
        }
        if (envelope is null || envelope.Body is null || envelope.Signature is null)
        {
            return Refuse(RejectionReason.Malformed, "missing fields or unsupported version");
        }
        return Handle(EnvelopeView.Of(envelope), envelope, raw);
    }

    // `decoded` is the decoded envelope, or null when `envelope` was read from `raw` in place (R2 only).
    private MessageRejection? Handle(EnvelopeView envelope, ClientEnvelope? decoded, ReadOnlyMemory<byte>? raw)
    {
        if (_stage is not { } stage)
        {
            return Refuse(RejectionReason.RoundClosed, "the round is over");
        }
        if (envelope.Version != 1)
        {
            return Refuse(RejectionReason.Malformed, "missing fields or unsupported version");
        }
        uint sender = envelope.SenderId;
        if (!Context.Parameters.Identities.ContainsKey(sender))
        {
            return Refuse(RejectionReason.UnknownSender, $"client {sender} is not on the roster");
        }
        if (!Mine(sender))
        {
            return Refuse(RejectionReason.NotExpected, $"client {sender} belongs to shard {ShardOf(sender)}, not {Shard}");
        }
        if (envelope.Stage != stage)
        {
            return Refuse(RejectionReason.WrongStage, $"a {envelope.Stage} message arrived during {stage}");
        }
        if (_received.Contains(sender))
        {
            return Refuse(RejectionReason.Duplicate, $"client {sender} already sent its {stage} message");
        }
        if (!_expected.Contains(sender))
        {
            return Refuse(RejectionReason.NotExpected, $"client {sender} is not part of {stage} (it dropped out earlier)");
        }
        if (envelope.Body.Length > ServerLimits.MaxEnvelopeBytes(Context.Parameters, stage))
        {
            return Refuse(RejectionReason.Oversized, $"body of {envelope.Body.Length} bytes exceeds the {stage} limit");
        }
        if (!EnvelopeSigning.Verify(Context.Parameters, Context.SigningContext(stage), envelope))
        {
            return Refuse(RejectionReason.BadSignature, $"the signature of client {sender} does not verify");
        }
        MessageRejection? rejection;
        try
        {
            rejection = stage == ProtocolStage.MaskedInputCollection ? AcceptMaskedInput(envelope.Body) : Accept(stage, decoded!, raw);
        }
        catch (MalformedMessageException e)
        {
            rejection = new MessageRejection(RejectionReason.Malformed, e.Message);
        }
        if (rejection is null)
        {
            _received.Add(sender);
        }
        return rejection;
    }

    public ShardReport Report()
    {
        ProtocolStage stage = _stage ?? throw new InvalidOperationException("the shard collects no stage");
        uint[] contributors = [.. _received.Order()];
        byte[][] items = stage == ProtocolStage.AdvertiseKeys ? [.. contributors.Select(id => _advertisements[id].Bytes)] : [];
        return new ShardReport(Shard, (int)stage, contributors, items);
    }

    public ShardStep Apply(StageDecision decision)
    {
        ShardBatch[] batches = ApplyCore(decision);
        return new ShardStep(batches, batches.Length == 0 ? _completed!.Encode(Shard) : null);
    }

    public ShardResult? Receive(ShardBatch batch) => ReceiveCore(batch) ? _completed!.Encode(Shard) : null;

    // Applies the decision: the stage closes, the next opens with the decided set (or the shard stops on an abort);
    // returns the batches to route, or none when this close is complete already.
    internal ShardBatch[] ApplyCore(StageDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ProtocolStage stage = _stage ?? throw new InvalidOperationException("the shard collects no stage");
        if (decision.Close != (int)stage || _routing is not null)
        {
            throw new InvalidOperationException($"a decision for close {decision.Close} while the shard is at {stage}");
        }
        _completed = null;
        _received.Clear();
        if (decision.Abort is not null)
        {
            _stage = null;
            ClearSecrets();
            _completed = new Completed(decision.Close, [], null, null);
            return [];
        }
        List<OutgoingMessage> directories = stage == ProtocolStage.AdvertiseKeys ? AdoptDirectory(decision) : [];
        List<ShardItem>[]? route = Close(stage, decision);
        _stage = stage == ProtocolStage.Unmasking ? null : stage + 1;
        _expected = _stage is { } next ? [.. Context.ExpectedAt(next).Where(Mine)] : [];
        if (route is null)
        {
            _completed = new Completed(decision.Close, directories, null, null);
            return [];
        }
        _routing = decision.Close;
        _batchesFrom.Clear();
        _inbound.Clear();
        return [.. route.Select((items, to) => new ShardBatch(decision.Close, Shard, to, [.. items]))];
    }

    // Takes a batch of the close being routed; true when it was the last one and the close is complete.
    internal bool ReceiveCore(ShardBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_routing is not { } close || batch.Close != close || batch.To != Shard || batch.From < 0 || batch.From >= ShardCount)
        {
            if (_completed is { } done && done.Close == batch.Close && batch.To == Shard)
            {
                return true; // a batch delivered again after the close completed
            }
            throw new InvalidOperationException($"a batch for shard {batch.To}, close {batch.Close}, is not one shard {Shard} waits for");
        }
        if (!_batchesFrom.Add(batch.From))
        {
            return false;
        }
        _inbound.AddRange(batch.Items);
        if (_batchesFrom.Count < ShardCount)
        {
            return false;
        }
        _routing = null;
        _completed = Deliver((ProtocolStage)close, _inbound);
        _inbound.Clear();
        return true;
    }

    private bool Mine(uint client) => ShardOf(client) == Shard;

    private int ShardOf(uint client) => _shardOf is null ? 0 :
        _shardOf.TryGetValue(client, out int shard) ? shard : ShardMap.ShardOf(Context.Parameters.Configuration.RoundId, client, ShardCount);

    private static MessageRejection Refuse(RejectionReason reason, string detail) => new(reason, detail);

    // Builds the tree, session and graph once the root fixed U1 (its broadcast: the accepted R0 envelopes, ascending;
    // every shard derives the same), and this shard's clients' key directories: each device's neighbours and itself,
    // proven against the root, so a directory is O(k log(m / k)) bytes instead of every advertisement.
    private List<OutgoingMessage> AdoptDirectory(StageDecision decision)
    {
        ClientEnvelope[] entries = MessageCodec.Decode<ClientEnvelope[]>(decision.Broadcast, decision.Broadcast.Length);
        if (!entries.Select(e => e.SenderId).SequenceEqual(decision.Members))
        {
            throw new InvalidOperationException("the R0 decision's envelopes are not its members in ascending order");
        }
        var tree = Derivation.DirectoryTree.Build(entries);
        Context.SessionId = Derivation.SessionDerivation.SessionId(Context.Parameters.ConfigurationHash.Span, tree.Count, tree.Root);
        foreach (ClientEnvelope e in entries)
        {
            Context.Keys.Add(e.SenderId, PeerKeys.TryParse(e.Body) ?? throw new InvalidOperationException($"the key directory holds unparsable keys of client {e.SenderId}"));
        }
        Context.Advertised = decision.Members;
        Context.Graph = NeighbourGraphs.Create(Context.Parameters, Context.SessionId, decision.Members);
        byte[] advertised = Derivation.RosterBitmap.Encode(Context.Parameters, decision.Members);
        var directories = new List<OutgoingMessage>();
        foreach (uint r in decision.Members.Where(Mine))
        {
            int[] indices = [.. Context.Graph.NeighboursOf(r).Append(r).Select(id => Array.BinarySearch(decision.Members, id)).Order()];
            directories.Add(new OutgoingMessage([r], new KeyDirectory
            {
                Advertised = advertised, Root = tree.Root, Entries = [.. indices.Select(i => entries[i])], Proof = tree.Proof(indices),
            }));
        }
        return directories;
    }
}
