using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using SecureFed.Aggregator.Protocols;
using SecureFed.Cluster.Hosting;
using SecureFed.Cluster.Storage;
using SecureFed.Protocol.Hosting;
using SecureFed.Transport;
using SecureFed.Protocol.Server;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// Hosts one shard of a sharded round (<see cref="IRoundShard"/>) on the silo <see cref="ShardPlacementDirector"/>
/// picks for it. Durable before acknowledged, like the round grain: an envelope is <see cref="SubmitFate.Stored"/>
/// only after its append to the shard's stream committed; decisions and routed batches are appended before the shard
/// applies them, so a replay of the stream on any silo rebuilds the same shard. An activation whose log write failed
/// retires; the next call replays. The shard's unmasked partial leaves it only for the root, inside the cluster.
/// </summary>
[ShardPlacement]
internal sealed partial class RoundShardGrain(HostedSchemes schemes, RoundCatalog catalog, RoundLogStore log, ILocalSiloDetails silo,
    ILogger<RoundShardGrain> logger) : Grain, IRoundShardGrain
{
    private readonly HashSet<(uint Client, string Digest)> _digests = [];
    private readonly HashSet<int> _batchesFrom = [];

    // Envelopes handled and queued for the log but not yet durable: a resent copy waits for the same commit.
    private readonly Dictionary<(uint Client, string Digest), Task<bool>> _storing = [];

    private byte[] _roundId = [];
    private int _index;
    private IRoundShard? _shard;
    private IRoundRoot? _claims;
    private long _nextSeq;
    private long _replayed;
    private GroupLogAppender? _appender;

    // Set while a turn of the root (Report, Apply, Receive) runs: Submits interleave with each other but wait for it,
    // so the log's order is the order in which the shard's engine saw the events.
    private readonly ExclusiveTurn _rootTurn = new();
    private string? _unavailable;
    private int? _frozen;
    private bool _ended;
    private int _appliedClose = -1;
    private byte[]? _step;
    private byte[]? _result;

    private string Key => this.GetPrimaryKeyString();

    private int Stream => 1 + _index;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        int slash = Key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !RoundIds.TryParse(Key[..slash], out _roundId)
            || !int.TryParse(Key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _index))
        {
            _unavailable = $"no round shard {Key}";
            return;
        }
        ClusterRoundRow? row = await catalog.FindAsync(_roundId, cancellationToken);
        if (row is null || row.ShardCount <= _index || schemes[(RoundScheme)row.Scheme].Protocol is not IShardedRoundProtocol protocol)
        {
            _unavailable = $"no round shard {Key}";
            return;
        }
        if (row.EngineVersion != RoundEngine.Version)
        {
            _unavailable = $"round {Key[..slash]} was opened by round engine version {row.EngineVersion}; this silo runs version {RoundEngine.Version}";
            return;
        }
        _shard = protocol.StartShard(row.Configuration, _index, row.ShardCount);
        // The root's decoding of an envelope's claimed sender, so a refusal names the same mismatch as the round grain.
        _claims = protocol.StartRoot(row.Configuration, row.MinimumClients, row.ShardCount);
        _ended = row.EndedPhase is not null;
        await ReplayAsync(cancellationToken);
        _replayed = _nextSeq;
        _appender = new GroupLogAppender(events => log.AppendAsync(_roundId, events), Stream, _nextSeq);
        if (_nextSeq > 0)
        {
            LogResumed(Key, _nextSeq, silo.SiloAddress.ToString());
        }
    }

    public async Task<SubmitReply> Submit(uint clientId, byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        await _rootTurn.IdleAsync();
        if (_unavailable is not null || _shard is not { } shard)
        {
            return new SubmitReply(SubmitFate.Unavailable, 0, _unavailable ?? $"no round shard {Key}", 0);
        }
        (uint, string) key = (clientId, Convert.ToHexString(SHA256.HashData(envelope)));
        if (_digests.Contains(key))
        {
            return new SubmitReply(SubmitFate.AlreadyStored, 0, null, 0);
        }
        if (_storing.TryGetValue(key, out Task<bool>? storing))
        {
            return await storing
                ? new SubmitReply(SubmitFate.AlreadyStored, 0, null, 0)
                : new SubmitReply(SubmitFate.Unavailable, 0, _unavailable, 0);
        }
        if (_ended || shard.OpenClose is null)
        {
            return new SubmitReply(SubmitFate.Refused, (int)RejectionReason.RoundClosed, "the round is over", 0);
        }
        if (_frozen is not null)
        {
            // The stage is closing: the root has this shard's report. Refusing for now keeps the report true; the
            // client's retry lands after the decision (as the next stage's message, or refused as late).
            return new SubmitReply(SubmitFate.Unavailable, 0, "the stage is closing; retry", 0);
        }
        if (_claims!.ClaimedSender(envelope) is uint sender && sender != clientId)
        {
            return new SubmitReply(SubmitFate.SenderMismatch, 0, null, sender);
        }
        if (shard.Handle(envelope) is { } rejection)
        {
            return new SubmitReply(SubmitFate.Refused, (int)rejection.Reason, rejection.Detail, 0);
        }
        // Queued in the same turn as the engine's Handle, so the log's order is the engine's order.
        Task<bool> durable = AppendAsync(ShardLogKinds.Envelope, RoundLogKinds.EnvelopePayload(clientId, envelope));
        _storing[key] = durable;
        bool stored = await durable;
        _storing.Remove(key);
        if (!stored)
        {
            return new SubmitReply(SubmitFate.Unavailable, 0, _unavailable, 0);
        }
        _digests.Add(key);
        return new SubmitReply(SubmitFate.Stored, 0, null, 0);
    }

    // An ended round's shard collects nothing, though its engine may still have a stage open (an operator abort ends
    // the round at the root; the shard learns it from Ended or, activated again, from the catalog).
    public Task<int> Received(int close) =>
        Task.FromResult(_shard is { } shard && _unavailable is null && !_ended && shard.OpenClose == close ? shard.Received : -1);

    public Task<byte[]> Report(int close) => AsRootTurnAsync(async () =>
    {
        IRoundShard shard = Live();
        if (shard.OpenClose != close)
        {
            throw new InvalidOperationException($"shard {Key} collects close {shard.OpenClose?.ToString(CultureInfo.InvariantCulture) ?? "none"}, not {close}");
        }
        if (_frozen != close)
        {
            // Committed after every envelope queued before it: the report below counts only durable envelopes.
            await AppendOrThrowAsync(ShardLogKinds.Freeze, ShardLogKinds.FreezePayload(close));
            _frozen = close;
        }
        return ShardCodec.Report(shard.Report());
    });

    public Task<byte[]> Apply(byte[] decision) => AsRootTurnAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(decision);
        IRoundShard shard = Live();
        StageDecision d = ShardCodec.ReadDecision(decision);
        if (d.Close == _appliedClose && _step is not null)
        {
            return _step; // the root repeats a close it could not finish (it or a shard moved)
        }
        if (shard.OpenClose != d.Close)
        {
            throw new InvalidOperationException($"shard {Key} collects close {shard.OpenClose?.ToString(CultureInfo.InvariantCulture) ?? "none"}, not {d.Close}");
        }
        await AppendOrThrowAsync(ShardLogKinds.Decision, decision);
        return ApplyDecision(shard, d);
    });

    public Task<byte[]> Receive(int close, byte[] batches) => AsRootTurnAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(batches);
        Live();
        if (close != _appliedClose)
        {
            throw new InvalidOperationException($"shard {Key} routes close {_appliedClose}, not {close}");
        }
        if (_result is not null)
        {
            return _result;
        }
        ShardBatch[] fresh = [.. ShardCodec.ReadBatches(batches).Where(b => b.Close == close && b.To == _index && !_batchesFrom.Contains(b.From))];
        if (fresh.Length > 0)
        {
            byte[] payload = ShardCodec.Batches(fresh);
            await AppendOrThrowAsync(ShardLogKinds.Batches, payload);
            TakeBatches(ShardCodec.ReadBatches(payload)); // the logged bytes, decoded afresh: the engine wipes secret items it used
        }
        return _result ?? ShardCodec.Result(null);
    });

    public Task Ended()
    {
        _ended = true;
        return Task.CompletedTask;
    }

    public Task<SiloAddress> Silo() => Task.FromResult(silo.SiloAddress);

    public Task<ShardActivation> Activation() => Task.FromResult(new ShardActivation(GrainContext.ActivationId.ToString(), _replayed));

    private byte[] ApplyDecision(IRoundShard shard, StageDecision d)
    {
        ShardStep step = shard.Apply(d);
        // Encoded before any batch is handed to a shard's Receive (which wipes secret items in it).
        _step = ShardCodec.Step(step);
        _appliedClose = d.Close;
        _frozen = null;
        _batchesFrom.Clear();
        _result = step.Result is null ? null : ShardCodec.Result(step.Result);
        return _step;
    }

    private void TakeBatches(ShardBatch[] batches)
    {
        foreach (ShardBatch b in batches)
        {
            if (_batchesFrom.Add(b.From) && _shard!.Receive(b) is { } result)
            {
                _result = ShardCodec.Result(result);
            }
        }
    }

    private IRoundShard Live() =>
        _unavailable is null && _shard is { } shard ? shard : throw new InvalidOperationException(_unavailable ?? $"no round shard {Key}");

    private async Task AppendOrThrowAsync(short kind, byte[] payload)
    {
        if (!await AppendAsync(kind, payload))
        {
            throw new InvalidOperationException(_unavailable);
        }
    }

    // One event at the stream's next number, queued at once (in call order) and committed with its batch. False (and
    // this activation retired) when it is not durable.
    private async Task<bool> AppendAsync(short kind, byte[] payload)
    {
        if (_appender is null)
        {
            return false;
        }
        RoundLogAppendOutcome outcome;
        try
        {
            outcome = await _appender.AppendAsync(kind, payload);
        }
        catch (Exception e)
        {
            Retire($"the shard's log could not be written ({e.GetType().Name}); retry");
            return false;
        }
        if (outcome != RoundLogAppendOutcome.Appended)
        {
            Retire($"the shard's log answered {outcome}; retry");
            return false;
        }
        return true;
    }

    // Runs one of the root's calls with the shard's Submits held back until it ends (they queue no event meanwhile).
    private Task<T> AsRootTurnAsync<T>(Func<Task<T>> turn) => _rootTurn.RunAsync(turn);

    private void Retire(string why)
    {
        if (_unavailable is not null)
        {
            return; // every waiter of a failed batch lands here; the first one retires the activation
        }
        _unavailable = why;
        LogRetired(Key, why);
        DeactivateOnIdle();
    }

    private async Task ReplayAsync(CancellationToken ct)
    {
        IRoundShard shard = _shard!;
        _nextSeq = 0;
        await foreach (RoundLogEvent e in log.ReadAsync(_roundId, Stream, 0, ct))
        {
            if (e.Sequence != _nextSeq)
            {
                throw new InvalidDataException($"shard {Key}: log event {e.Sequence} where {_nextSeq} was expected");
            }
            switch (e.Kind)
            {
                case ShardLogKinds.Envelope:
                {
                    (uint client, ReadOnlyMemory<byte> envelope) = RoundLogKinds.ReadEnvelope(e.Payload);
                    if (shard.Handle(envelope) is MessageRejection r)
                    {
                        throw new InvalidDataException($"shard {Key}: log event {e.Sequence} (client {client}) is refused on replay: {r}");
                    }
                    _digests.Add((client, Convert.ToHexString(SHA256.HashData(envelope.Span))));
                    break;
                }
                case ShardLogKinds.Freeze:
                    _frozen = ShardLogKinds.ReadFreeze(e.Payload);
                    break;
                case ShardLogKinds.Decision:
                    ApplyDecision(shard, ShardCodec.ReadDecision(e.Payload));
                    break;
                case ShardLogKinds.Batches:
                    TakeBatches(ShardCodec.ReadBatches(e.Payload));
                    break;
                default:
                    throw new InvalidDataException($"shard {Key}: log event {e.Sequence} has unknown kind {e.Kind}");
            }
            _nextSeq++;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Round shard {Shard} rebuilt from {Events} logged events on {Silo}")]
    private partial void LogResumed(string shard, long events, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Round shard {Shard}: this activation retires: {Why}")]
    private partial void LogRetired(string shard, string why);
}
