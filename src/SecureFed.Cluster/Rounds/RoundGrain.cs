using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Rounds;
using SecureFed.Cluster.Storage;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Server;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// Hosts one round's engine on whichever silo Orleans placed it: the same <see cref="RoundRuntime"/> and
/// <see cref="IRoundServer"/> the single node runs, with the round's log in PostgreSQL instead of SQLite. Durable
/// before acknowledged: an envelope is answered <see cref="SubmitFate.Stored"/> only after its log append committed;
/// when an append fails after the engine took the envelope, this activation no longer matches the log and deactivates,
/// and the next call rebuilds the round from the log on any silo. Group commit (<see cref="GroupLogAppender"/>):
/// Submits interleave, so envelopes that arrive while a commit is in flight share the next one (one commit per envelope
/// made a 1,000-client stage take seconds); every event of the round's stream goes through the one appender in the
/// order the engine saw it, and closes and aborts are writer turns that Submits wait for. Deadlines (and the quiet close
/// rule, <see cref="RoundRuntime.DueCause"/>, as on the single node): a grain timer closes due stages; a
/// reminder in PostgreSQL brings the grain back (and so its timer) when the silo holding it died and no client calls.
/// </summary>
/// <remarks>
/// A sharded round (masking with S &gt; 1, docs/cluster-design.md section 2): this grain is the round's root
/// (RoundGrain.Sharded.cs). Front ends send envelopes straight to the client's <see cref="IRoundShardGrain"/>;
/// <see cref="CloseStageAsync"/> fans the close out to the shards and adds their partial results; polls stay here.
/// </remarks>
internal sealed partial class RoundGrain(HostedSchemes schemes, RoundCatalog catalog, RoundLogStore log, ClusterPrivacyLedgerStore ledgers,
    IOptions<AggregatorOptions> options, TimeProvider time, ILocalSiloDetails silo, ILogger<RoundGrain> logger) : Grain, IRoundGrain, IRemindable
{
    private const string DeadlineReminder = "stage-deadline";
    private const int Stream = 0;

    private byte[] _roundId = [];
    // Envelopes handled and queued for the log but not yet durable: a resent copy waits for the same commit.
    private readonly Dictionary<(uint Client, string Digest), Task<bool>> _storing = [];
    private readonly SharedAnswers _shared = new();

    private ClusterRoundRow? _row;
    private RoundRuntime? _rt;
    private GroupLogAppender? _appender;
    private string? _unavailable;
    private IGrainTimer? _timer;

    // Set while a close, an abort or a timer tick runs: Submits interleave with each other but wait for it.
    private readonly ExclusiveTurn _writerTurn = new();

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!RoundIds.TryParse(Id, out _roundId))
        {
            return;
        }
        _row = await catalog.FindAsync(_roundId, cancellationToken);
        if (_row is null)
        {
            return;
        }
        if (_row.EngineVersion != RoundEngine.Version)
        {
            _unavailable = $"round {Id} was opened by round engine version {_row.EngineVersion}; this silo runs version {RoundEngine.Version}";
            LogEngineMismatch(Id, _row.EngineVersion, RoundEngine.Version);
            return;
        }
        _rt = NewRuntime(_row);
        await ReplayAsync(_rt, cancellationToken);
        if (_rt.End is null)
        {
            // As on the single node after a restart: an open stage stays open a grace period so clients reconnect.
            _rt.StageOpenedAtMs = NowMs;
            _rt.GraceUntilMs = NowMs + (long)(options.Value.RestartGraceSeconds * 1000);
            StartTimer();
            LogResumed(Id, _rt.Server.Progress?.Label ?? "-", _appender!.NextSequence, silo.SiloAddress.ToString());
        }
    }

    public async Task<RoundFacts?> Open(RoundOpening opening)
    {
        ArgumentNullException.ThrowIfNull(opening);
        if (_row is not null || _roundId.Length == 0)
        {
            return null;
        }
        var row = new ClusterRoundRow(_roundId, opening.Federation, RoundEngine.Version, opening.Scheme, opening.Configuration, opening.MinimumClients,
            opening.DeadlinesMs, opening.FloatEncoding, null, opening.ShardCount, opening.DpPlan, opening.QuietClose);
        RoundRuntime rt = NewRuntime(row);
        if (!rt.RoundId.AsSpan().SequenceEqual(_roundId))
        {
            throw new ArgumentException("the configuration's round id is not the grain's key", nameof(opening));
        }
        if (!await catalog.InsertAsync(row, CancellationToken.None))
        {
            return null;
        }
        _row = row;
        _appender = NewAppender(0);
        _rt = rt;
        rt.StageOpenedAtMs = NowMs;
        StartTimer();
        await ArmReminderAsync();
        return FactsOf(rt, row);
    }

    public Task<RoundFacts> Facts()
    {
        if (_unavailable is not null)
        {
            return Task.FromResult(RoundFacts.Refused(_unavailable));
        }
        if (_rt is null || _row is null)
        {
            DeactivateOnIdle();
            return Task.FromResult(RoundFacts.Unknown);
        }
        return Task.FromResult(FactsOf(_rt, _row));
    }

    public Task<RoundState> State()
    {
        if (_rt is not { } rt)
        {
            return Task.FromResult(new RoundState(-1, 0, 0, 0, _unavailable ?? $"no round {Id}"));
        }
        int stage = rt.End is null && rt.Server.Progress is { } p ? p.Stage : -1;
        return Task.FromResult(new RoundState(stage, (int)rt.Phase, rt.StageDeadlineMs, rt.Closes, _unavailable));
    }

    public async Task<SubmitReply> Submit(uint clientId, byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        await _writerTurn.IdleAsync();
        if (_unavailable is not null || _rt is not { } rt)
        {
            return new SubmitReply(SubmitFate.Unavailable, 0, _unavailable ?? $"no round {Id}", 0);
        }
        if (_sharded is { } sharded)
        {
            return await sharded.ShardOf(clientId).Submit(clientId, envelope); // front ends send to the shard directly
        }
        string digest = Convert.ToHexString(SHA256.HashData(envelope));
        if (rt.HasDigest(clientId, digest))
        {
            return new SubmitReply(SubmitFate.AlreadyStored, 0, null, 0);
        }
        if (_storing.TryGetValue((clientId, digest), out Task<bool>? storing))
        {
            return await storing
                ? new SubmitReply(SubmitFate.AlreadyStored, 0, null, 0)
                : new SubmitReply(SubmitFate.Unavailable, 0, _unavailable, 0);
        }
        if (rt.End is not null || rt.Server.Progress is null)
        {
            return new SubmitReply(SubmitFate.Refused, (int)RejectionReason.RoundClosed, $"the round is {WireNames.Of(rt.Phase)}", 0);
        }
        if (rt.Server.ClaimedSender(envelope) is uint sender && sender != clientId)
        {
            return new SubmitReply(SubmitFate.SenderMismatch, 0, null, sender);
        }
        if (rt.Server.Handle(envelope) is { } rejection)
        {
            return new SubmitReply(SubmitFate.Refused, (int)rejection.Reason, rejection.Detail, 0);
        }
        // The engine took the envelope: from here on this activation is only right if the append commits. Queued in the
        // same turn as the engine's Handle, so the log's order is the engine's order.
        Task<bool> durable = AppendAsync(RoundLogKinds.Envelope, RoundLogKinds.EnvelopePayload(clientId, envelope));
        _storing[(clientId, digest)] = durable;
        bool stored = await durable;
        _storing.Remove((clientId, digest));
        if (!stored)
        {
            return new SubmitReply(SubmitFate.Unavailable, 0, _unavailable, 0);
        }
        rt.Accepted(clientId, digest);
        // The first Submit of a batch that finds the stage complete closes it; if another writer turn runs, the
        // timer's next tick closes it (it closes complete stages too).
        if (rt.Server.Progress is { AllReceived: true } && !_writerTurn.Busy)
        {
            await AsWriterTurnAsync(async () =>
            {
                if (_unavailable is null && rt.End is null && rt.Server.Progress is { AllReceived: true })
                {
                    await CloseStageAsync(StageCloseCause.AllReceived);
                }
            });
        }
        return new SubmitReply(SubmitFate.Stored, 0, null, 0);
    }

    public async Task<StagePollReply> PollStage(uint clientId, int stage, TimeSpan wait)
    {
        if (_unavailable is not null || _rt is null)
        {
            return new StagePollReply(null, null, null, _unavailable ?? $"no round {Id}");
        }
        PollOutcome outcome = await WaitAsync(rt => rt.LookupStage(clientId, stage), o => o.Ready, wait);
        (byte[]? bytes, byte[]? digest) = _shared.Answer(outcome.Bytes);
        return new StagePollReply(bytes, outcome.GoneCode is { } code ? (int)code : null, outcome.GoneDetail, null, digest);
    }

    public async Task<BytesPollReply> PollClose(uint clientId, int close, TimeSpan wait)
    {
        if (_unavailable is not null || _rt is null)
        {
            return new BytesPollReply(null, null, _unavailable ?? $"no round {Id}");
        }
        (byte[]? bytes, byte[]? digest) = _shared.Answer(await WaitAsync(rt => rt.LookupClose(clientId, close), d => d is not null, wait));
        return new BytesPollReply(bytes, null, null, digest);
    }

    public Task<byte[]?> Shared(byte[] digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return Task.FromResult(_shared.Find(digest));
    }

    public async Task<BytesPollReply> PollResult(TimeSpan wait)
    {
        if (_unavailable is not null || _rt is null)
        {
            return new BytesPollReply(null, null, _unavailable ?? $"no round {Id}");
        }
        RoundEnd? end = await WaitAsync(rt => rt.End, e => e is not null, wait);
        if (end is null)
        {
            return new BytesPollReply(null, null, null);
        }
        return end.Result is null
            ? new BytesPollReply(null, $"round {Id} was aborted ({end.Abort?.ReasonName}): it has no result", null)
            : new BytesPollReply(SingleNodeRoundHost.EncodeResult(Id, end), null, null);
    }

    public Task<string?> Describe(bool includeSums)
    {
        if (_rt is not { } rt)
        {
            return Task.FromResult<string?>(null);
        }
        // The federation's ledger figures are added by the front end (ClusterRoundHost) from PostgreSQL.
        RoundStatus status = RoundDescription.Describe(rt, schemes[rt.Server.Scheme], includeSums, ledgers: null);
        return Task.FromResult<string?>(JsonSerializer.Serialize(status, AdminJson.Options));
    }

    public async Task<bool> Abort(string detail)
    {
        bool done = false;
        await AsWriterTurnAsync(async () =>
        {
            if (_unavailable is not null || _rt is not { } rt)
            {
                return;
            }
            if (rt.End is not null)
            {
                done = true;
                return;
            }
            StageClose abort = rt.Server.Abort(detail);
            if (!await AppendAsync(RoundLogKinds.Abort, Encoding.UTF8.GetBytes(detail)))
            {
                return;
            }
            rt.Finish(abort.End!);
            _shared.Closed();
            LogAborted(Id, abort.End!.Abort!.ReasonName, detail);
            await EndedAsync(rt.Phase);
            done = true;
        });
        return done;
    }

    public Task<SiloAddress> Silo() => Task.FromResult(silo.SiloAddress);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // The reminder's work is done by activating this grain (replay, then the timer); a finished round disarms it.
        if (reminderName == DeadlineReminder && (_rt is null || _rt.End is not null))
        {
            return DisarmReminderAsync();
        }
        return Task.CompletedTask;
    }

    private Task OnTimerAsync() => AsWriterTurnAsync(OnTickAsync);

    private async Task OnTickAsync()
    {
        if (_unavailable is not null || _rt is not { } rt || rt.End is not null)
        {
            return;
        }
        if (_sharded is { } sharded && !await RefreshShardsAsync(sharded))
        {
            return;
        }
        if (rt.DueCause(NowMs) is { } cause)
        {
            await CloseStageAsync(cause);
        }
    }

    private async Task CloseStageAsync(StageCloseCause cause)
    {
        if (_sharded is { } sharded)
        {
            await CloseShardedAsync(sharded, cause);
            return;
        }
        RoundRuntime rt = _rt!;
        RoundProgress progress = rt.Server.Progress!;
        StageClose close = rt.Server.Close();
        if (!await AppendCloseAsync(rt, close))
        {
            return; // the next activation replays the log, where this close is not, and closes the stage again
        }
        rt.StageOpenedAtMs = NowMs;
        rt.ApplyClose(close);
        _shared.Closed();
        LogStageClosed(Id, progress.Label, progress.Received, progress.Expected, cause.Label(), WireNames.Of(rt.Phase), silo.SiloAddress.ToString());
        if (close.End is not null)
        {
            await EndedAsync(rt.Phase);
        }
    }

    // The round's outcome for listings, then no more deadline work. Failures here cost only a stale listing row or a
    // reminder that fires once more and disarms itself.
    private async Task EndedAsync(RoundPhase phase)
    {
        _timer?.Dispose();
        _timer = null;
        if (_sharded is { } sharded)
        {
            await sharded.NotifyEndedAsync();
        }
        try
        {
            await catalog.MarkEndedAsync(_roundId, (int)phase, CancellationToken.None);
            await DisarmReminderAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OrleansException)
        {
            LogEndBookkeepingFailed(Id, e.GetType().Name);
        }
    }

    private RoundRuntime NewRuntime(ClusterRoundRow row)
    {
        IHostedScheme scheme = schemes[(RoundScheme)row.Scheme];
        IRoundServer server = StartServer(scheme, row);
        return new RoundRuntime(server.RoundId.ToArray(), row.Federation, scheme.Protocol, server, row.DeadlinesMs, row.MinimumClients)
        {
            Encoding = RoundEncoding.FromStored(row.FloatEncoding, row.DpPlan),
            QuietClose = QuietCloseRule.FromStored(row.QuietClose),
        };
    }

    private static RoundFacts FactsOf(RoundRuntime rt, ClusterRoundRow row)
    {
        var ids = rt.Server.Identities.Keys.Order().ToArray();
        return new RoundFacts(row.Scheme, row.Federation, row.Configuration, row.FloatEncoding, (int)rt.Server.Delivery, rt.Server.StageCount,
            rt.Server.MaxEnvelopeBytes, ids, [.. ids.Select(id => rt.Server.Identities[id].Bytes.ToArray())], null, row.ShardCount);
    }

    // Polls wait on the grain's scheduler (no ConfigureAwait(false)): they interleave with the writer's turns but never
    // run beside them.
    private async Task<T> WaitAsync<T>(Func<RoundRuntime, T> lookup, Func<T, bool> ready, TimeSpan wait)
    {
        long until = NowMs + (long)wait.TotalMilliseconds;
        while (true)
        {
            RoundRuntime rt = _rt!;
            Task signal = rt.Changed;
            T result = lookup(rt);
            long left = until - NowMs;
            if (ready(result) || left <= 0 || _unavailable is not null)
            {
                return result;
            }
            await Task.WhenAny(signal, Task.Delay(TimeSpan.FromMilliseconds(left), time));
        }
    }

    private void StartTimer()
    {
        var period = TimeSpan.FromMilliseconds(options.Value.DeadlineCheckMilliseconds);
        _timer ??= this.RegisterGrainTimer(static (self, _) => self.OnTimerAsync(), this,
            new GrainTimerCreationOptions { DueTime = period, Period = period, KeepAlive = true });
    }

    // Orleans' smallest reminder period is a minute: the reminder is a safety net that re-activates the grain after
    // its silo died; the timer does the precise work.
    private Task ArmReminderAsync() => this.RegisterOrUpdateReminder(DeadlineReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    private async Task DisarmReminderAsync()
    {
        if (await this.GetReminder(DeadlineReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Round {RoundId} rebuilt from {Events} logged events on {Silo}; open stage {Stage}")]
    private partial void LogResumed(string roundId, string stage, long events, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Round {RoundId} stage {Stage} closed: {Received}/{Expected} ({Cause}), round {Status}, on {Silo}")]
    private partial void LogStageClosed(string roundId, string stage, int received, int expected, string cause, string status, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Round {RoundId} aborted by the operator ({Reason}): {Detail}")]
    private partial void LogAborted(string roundId, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Round {RoundId}: this activation retires: {Why}")]
    private partial void LogRetired(string roundId, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Round {RoundId} was opened by engine version {Stored}; this silo runs {Current}: refused")]
    private partial void LogEngineMismatch(string roundId, int stored, int current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Round {RoundId} ended but its bookkeeping failed ({Error}); the log holds the outcome")]
    private partial void LogEndBookkeepingFailed(string roundId, string error);
}
