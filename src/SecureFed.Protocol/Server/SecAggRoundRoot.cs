using System.Globalization;
using SecureFed.Primitives.Signatures;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// The masking round's root (secagg.md): decides each stage's close from the shards' contributor sets (U1..U5, the
/// threshold and the operator's minimum), assembles the broadcasts (key directory, survivor set, abort notices) and
/// adds the shards' unmasked partial sums. Everything per client, including all mask expansion, is in the shards.
/// </summary>
internal sealed class SecAggRoundRoot : IRoundRoot
{
    private readonly int _minimumClients;
    private ProtocolStage? _stage = ProtocolStage.AdvertiseKeys;
    private StageDecision? _decided;
    private List<RootMessage> _broadcast = [];

    public SecAggRoundRoot(RoundParameters parameters, int minimumClients, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        Context = new ServerContext(parameters);
        _minimumClients = minimumClients;
        ShardCount = shardCount;
        MaxEnvelopeBytes = Enum.GetValues<ProtocolStage>().Max(s => ServerLimits.MaxEnvelopeBytes(parameters, s));
    }

    // One broadcast: the typed message for in-process callers and its wire bytes, encoded once.
    internal sealed record RootMessage(OutgoingMessage Typed, SentMessage Sent);

    internal ServerContext Context { get; }

    // The stage whose messages are collected (also while its close is being completed), null once over.
    internal ProtocolStage? Stage => End is null ? _stage : null;

    public RoundScheme Scheme => RoundScheme.Masking;

    public ServerDelivery Delivery => ServerDelivery.OnePerStage;

    public ReadOnlyMemory<byte> RoundId => Context.Parameters.Configuration.RoundId;

    public ReadOnlyMemory<byte> Configuration => Context.Parameters.EncodedConfiguration;

    public IReadOnlyDictionary<uint, IdentityPublicKey> Identities => Context.Parameters.Identities;

    public int Threshold => Context.Parameters.Threshold;

    public int StageCount => Enum.GetValues<ProtocolStage>().Length;

    public long MaxEnvelopeBytes { get; }

    public int ShardCount { get; }

    public RoundEnd? End { get; private set; }

    public RoundProgress? Progress(int received) => _stage is { } stage && End is null && _decided is null
        ? new RoundProgress((int)stage, ((int)stage).ToString(CultureInfo.InvariantCulture), Context.ExpectedAt(stage).Count, received)
        : null;

    public uint? ClaimedSender(ReadOnlyMemory<byte> envelope)
    {
        try
        {
            return MessageCodec.Decode<ClientEnvelope>(envelope, (int)Math.Min(MaxEnvelopeBytes, int.MaxValue))?.SenderId;
        }
        catch (MalformedMessageException)
        {
            return null;
        }
    }

    public StageDecision Decide(IReadOnlyList<ShardReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ProtocolStage stage = OpenStage();
        if (_decided is not null)
        {
            throw new InvalidOperationException($"the close of {stage} is already decided");
        }
        CheckOnePerShard(reports, r => r.Shard, r => r.Close, (int)stage);
        uint[] contributors = [.. reports.SelectMany(r => r.Contributors).Order()];
        int t = Context.Parameters.Threshold;
        _broadcast = [];
        StageDecision decision = stage switch
        {
            ProtocolStage.AdvertiseKeys => DecideKeys(reports),
            ProtocolStage.ShareKeys => contributors.Length < t
                ? Aborting(stage, AbortReason.TooFewClients, $"{contributors.Length} clients shared keys, fewer than t = {t}", Context.Advertised)
                : Continuing(stage, Context.SharedKeys = contributors),
            ProtocolStage.MaskedInputCollection => contributors.Length < t
                ? Aborting(stage, AbortReason.TooFewClients, $"{contributors.Length} masked inputs, fewer than t = {t}", Context.SharedKeys)
                : Announcing(stage, Context.Survivors = contributors, new SurvivorSet { Survivors = Derivation.RosterBitmap.Encode(Context.Parameters, contributors) }),
            ProtocolStage.ConsistencyCheck => contributors.Length < t
                ? Aborting(stage, AbortReason.TooFewClients, $"{contributors.Length} consistency checks, fewer than t = {t}", Context.Survivors)
                : Continuing(stage, Context.Signers = contributors),
            _ => contributors.Length < t
                ? Aborting(stage, AbortReason.TooFewClients, $"{contributors.Length} clients revealed shares, fewer than t = {t}", Context.Signers)
                : Continuing(stage, Context.Responders = contributors),
        };
        _decided = decision;
        return decision;
    }

    public StageClose Complete(IReadOnlyList<ShardResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        ProtocolStage stage = OpenStage();
        CheckOnePerShard(results, r => r.Shard, r => r.Close, (int)stage);
        List<SentMessage> sent = [.. Finish(results.Select(r => (r.Partial, r.Failure))).Select(m => m.Sent)];
        if (End is null || End.Result is not null)
        {
            sent.AddRange(results.SelectMany(r => r.Messages).OrderBy(m => m.Recipients[0]));
        }
        return new StageClose(sent, End);
    }

    // The same completion for an in-process composition that keeps the shards' messages typed (never encoded twice).
    internal List<OutgoingMessage> CompleteTyped(IReadOnlyList<(IReadOnlyList<OutgoingMessage> Messages, ulong[][]? Partial, ShardFailure? Failure)> results)
    {
        List<OutgoingMessage> sent = [.. Finish(results.Select(r => (r.Partial, r.Failure))).Select(m => m.Typed)];
        if (End is null || End.Result is not null)
        {
            sent.AddRange(results.SelectMany(r => r.Messages).OrderBy(m => m.Recipients[0]));
        }
        return sent;
    }

    public StageClose Abort(string detail)
    {
        ProtocolStage stage = OpenStage();
        End = Ended(AbortReason.ServerAborted, detail);
        return new StageClose([new SentMessage([.. Context.ExpectedAt(stage).Order()], End.FinalMessage!)], End);
    }

    // Ends the decided close: an abort's notice, the last stage's sum of partials, or the next stage opens.
    private List<RootMessage> Finish(IEnumerable<(ulong[][]? Partial, ShardFailure? Failure)> results)
    {
        ProtocolStage stage = OpenStage();
        StageDecision decision = _decided ?? throw new InvalidOperationException($"the close of {stage} is not decided");
        var parts = results.ToList();
        _decided = null;
        if (decision.Abort is { } abort)
        {
            End = Ended((AbortReason)abort.Reason, abort.Detail);
            return _broadcast;
        }
        if (stage != ProtocolStage.Unmasking)
        {
            _stage = stage + 1;
            return _broadcast;
        }
        // R4: the lowest client whose secret a shard could not rebuild, as the unsharded server reports it.
        if (parts.Where(p => p.Failure is not null).Select(p => p.Failure!).MinBy(f => f.Client) is { } failure)
        {
            End = Ended((AbortReason)failure.Abort.Reason, failure.Abort.Detail);
            return [Notice(End, Context.Signers)];
        }
        var specs = Context.Parameters.Vectors;
        ulong[][] sums = [.. specs.Select(v => new ulong[v.Length])];
        foreach (var (partial, _) in parts)
        {
            if (partial is null || partial.Length != specs.Count || partial.Where((p, j) => p.Length != specs[j].Length).Any())
            {
                throw new InvalidOperationException("a shard's partial sum does not have the round's vector shapes");
            }
            for (int j = 0; j < specs.Count; j++)
            {
                ModularArithmetic.AddInPlace(sums[j], partial[j], specs[j].Bits);
            }
        }
        End = new RoundEnd(new RoundResult(sums, Context.Survivors, Context.Dropped(), null), null, null);
        return [];
    }

    private StageDecision DecideKeys(IReadOnlyList<ShardReport> reports)
    {
        // Each shard refused keys its own clients repeated; a key two shards' clients both advertised keeps neither
        // (no arrival order exists across shards, and honest clients' fresh keys never collide).
        var entries = new SortedDictionary<uint, ClientEnvelope>();
        var keys = new Dictionary<uint, PeerKeys>();
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (ShardReport r in reports)
        {
            if (r.Items.Length != r.Contributors.Length)
            {
                throw new InvalidOperationException($"shard {r.Shard} reported {r.Contributors.Length} advertisers with {r.Items.Length} envelopes");
            }
            for (int i = 0; i < r.Items.Length; i++)
            {
                ClientEnvelope e = MessageCodec.Decode<ClientEnvelope>(r.Items[i], r.Items[i].Length);
                PeerKeys k = PeerKeys.TryParse(e.Body) ?? throw new InvalidOperationException($"shard {r.Shard} reported unparsable keys of client {e.SenderId}");
                entries.Add(e.SenderId, e);
                keys.Add(e.SenderId, k);
                foreach (string hex in new[] { Convert.ToHexString(k.MaskPublicKey), Convert.ToHexString(k.EncryptionPublicKey) })
                {
                    owners[hex] = owners.GetValueOrDefault(hex) + 1;
                }
            }
        }
        foreach (var (id, k) in keys)
        {
            if (owners[Convert.ToHexString(k.MaskPublicKey)] > 1 || owners[Convert.ToHexString(k.EncryptionPublicKey)] > 1)
            {
                entries.Remove(id);
            }
        }
        uint[] advertised = [.. entries.Keys];
        if (advertised.Length < _minimumClients)
        {
            return Aborting(ProtocolStage.AdvertiseKeys, AbortReason.TooFewClients,
                $"{advertised.Length} clients advertised keys, fewer than the round's minimum of {_minimumClients}", Context.Parameters.ClientIds);
        }
        if (advertised.Length < Context.Parameters.Threshold)
        {
            return Aborting(ProtocolStage.AdvertiseKeys, AbortReason.TooFewClients,
                $"{advertised.Length} clients advertised keys, fewer than t = {Context.Parameters.Threshold}", advertised);
        }
        ClientEnvelope[] ordered = [.. entries.Values];
        Context.SessionId = SessionDerivation.SessionId(Context.Parameters.ConfigurationHash.Span, ordered);
        foreach (uint id in advertised)
        {
            Context.Keys.Add(id, keys[id]);
        }
        Context.Advertised = advertised;
        Context.Graph = NeighbourGraphs.Create(Context.Parameters, Context.SessionId, advertised);
        // Every shard gets the accepted envelopes and builds its own clients' directories from them (each device gets
        // only its neighbours' entries, secagg.md 3): the root sends no key directory itself.
        return new StageDecision((int)ProtocolStage.AdvertiseKeys, advertised, MessageCodec.Encode(ordered), null);
    }

    private static StageDecision Continuing(ProtocolStage stage, uint[] members) => new((int)stage, members, [], null);

    private StageDecision Announcing(ProtocolStage stage, uint[] members, ServerMessage message)
    {
        _broadcast = [Message(members, message)];
        return Continuing(stage, members);
    }

    private StageDecision Aborting(ProtocolStage stage, AbortReason reason, string detail, IReadOnlyList<uint> notify)
    {
        RoundEnd end = Ended(reason, detail);
        _broadcast = [Notice(end, notify)];
        return new StageDecision((int)stage, [], [], end.Abort);
    }

    private static RootMessage Notice(RoundEnd end, IReadOnlyList<uint> notify) =>
        new(new OutgoingMessage(notify, new RoundAbortNotice { Reason = (AbortReason)end.Abort!.Reason, Detail = end.Abort.Detail }),
            new SentMessage([.. notify.Order()], end.FinalMessage!));

    private static RootMessage Message(IReadOnlyList<uint> recipients, ServerMessage message) =>
        new(new OutgoingMessage(recipients, message), new SentMessage([.. recipients.Order()], MessageCodec.EncodeServerMessage(message)));

    private static RoundEnd Ended(AbortReason reason, string detail) => new(null, new RoundAbort((int)reason, reason.ToString(), detail),
        MessageCodec.EncodeServerMessage(new RoundAbortNotice { Reason = reason, Detail = detail }));

    private ProtocolStage OpenStage() =>
        End is null && _stage is { } stage ? stage : throw new InvalidOperationException("the round is over");

    private void CheckOnePerShard<T>(IReadOnlyList<T> items, Func<T, int> shard, Func<T, int> close, int expectedClose)
    {
        if (items.Count != ShardCount || items.Select(shard).Distinct().Count() != ShardCount ||
            items.Any(i => shard(i) < 0 || shard(i) >= ShardCount || close(i) != expectedClose))
        {
            throw new InvalidOperationException($"expected one entry from each of {ShardCount} shards for close {expectedClose}");
        }
    }
}
