using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Faults;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Storage;
using SecureFed.Privacy.Ledger;
using SecureFed.Privacy.Rounds;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Server;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// Runs every round, whatever its scheme: opens them, appends each accepted envelope and each stage close to the round's
/// log before acknowledging, closes stages when all expected envelopes arrived or the deadline passed, and rebuilds
/// running rounds from their logs at start-up. It knows rounds only through <see cref="IRoundServer"/>.
/// </summary>
/// <remarks>
/// Memory: running rounds stay in memory; a round that ends leaves it as soon as the close or abort that ended it is
/// durable and published (the group commit's flush retires it, never earlier). Its requests (status, result, final
/// message, an already-accepted resend, its transcript) are served from the database, which holds all they need
/// (the outcome, each accepted envelope's sender and SHA-256, the configuration), through a small cache of
/// <see cref="AggregatorOptions.EndedRoundsInMemory"/> rebuilt rounds; so a service that has run thousands of rounds
/// holds no more than one that has run a few.
/// </remarks>
internal sealed class RoundCoordinator
{
    private readonly ConcurrentDictionary<string, RoundRuntime> _running = new(StringComparer.Ordinal);
    private readonly BoundedRoundCache<RoundRuntime> _ended;
    private readonly RoundLogWriter _writer;
    private readonly RoundLoader _loader;
    private readonly RoundStore _store;
    private readonly RosterStore _roster;
    private readonly HostedSchemes _schemes;
    private readonly AggregatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly AggregatorOptions _options;
    private readonly RoundTracing _tracing;
    private readonly ILogger<RoundCoordinator> _log;
    private readonly PrivacyLedgers _ledgers;
    private readonly DurableStepKill _kill;

    public RoundCoordinator(RoundStore store, RosterStore roster, HostedSchemes schemes, AggregatorMetrics metrics, RoundTracing tracing,
        TimeProvider time, IOptions<AggregatorOptions> options, ILogger<RoundCoordinator> log, RoundEncodingStore encodings, PrivacyLedgers ledgers, DurableStepKill kill)
    {
        _kill = kill;
        _tracing = tracing;
        _ledgers = ledgers;
        _store = store;
        _roster = roster;
        _schemes = schemes;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _log = log;
        _ended = new BoundedRoundCache<RoundRuntime>(_options.EndedRoundsInMemory);
        _writer = new RoundLogWriter(store, time, log);
        _loader = new RoundLoader(store, schemes, encodings);
        _metrics.RunningRounds = () => Running;
        _metrics.RoundsInMemory = () => InMemory;
        LoadRunning();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Every round the database holds, in the order they were opened; ended rounds not in memory are read
    /// one at a time and not kept.</summary>
    public IEnumerable<RoundRuntime> Rounds
    {
        get
        {
            foreach (byte[] roundId in _store.Ids())
            {
                string id = RoundIds.Format(roundId);
                if (_running.TryGetValue(id, out RoundRuntime? rt) || _ended.TryGet(id, out rt) || (rt = _loader.Ended(roundId)) is not null)
                {
                    yield return rt!;
                }
            }
        }
    }

    /// <summary>How many rounds the database holds, running and ended.</summary>
    public long Count => _store.Count();

    /// <summary>Rounds held in memory: every running round and at most <see cref="AggregatorOptions.EndedRoundsInMemory"/> ended ones.</summary>
    public int InMemory => _running.Count + _ended.Count;

    public RosterStore Roster => _roster;

    /// <summary>Running rounds of every scheme.</summary>
    public int Running => _running.Values.Count(r => r.End is null);

    /// <summary>A running round from memory, an ended one from the cache or else the database.</summary>
    /// <exception cref="AggregatorProblemException">404 unknown-round.</exception>
    public RoundRuntime Get(string id)
    {
        if (!RoundIds.TryParse(id, out byte[] roundId))
        {
            throw UnknownRound(id);
        }
        string key = RoundIds.Format(roundId);
        if (_running.TryGetValue(key, out RoundRuntime? rt))
        {
            return rt;
        }
        // Not running (or it ended since): the outcome is durable before a round leaves _running, so the database has it.
        return _ended.GetOrAdd(key, () => _loader.Ended(roundId))
            ?? (_running.TryGetValue(key, out rt) ? rt : throw UnknownRound(id));
    }

    /// <summary>The round's scheme as the service hosts it (its transcript format).</summary>
    public IHostedScheme SchemeOf(RoundRuntime rt) => _schemes[rt.Server.Scheme];

    /// <summary>The round as the operator sees it (<c>GET /admin/v1/rounds/{id}</c>), read under the round's gate: a close in
    /// progress (the engine between its decision and its completion) is never seen half done, nor a round whose log
    /// must be rebuilt after a failed commit.</summary>
    /// <exception cref="AggregatorProblemException">503 storage-unavailable while the round's log cannot be read back.</exception>
    public Task<RoundStatus> DescribeAsync(RoundRuntime rt, bool includeSums, CancellationToken ct) => rt.UnderGateAsync(() =>
    {
        _writer.EnsureReplayed(rt);
        return RoundDescription.Describe(rt, SchemeOf(rt), includeSums, _ledgers);
    }, ct);

    /// <summary>Opens a round of the request's scheme over the federation's current roster.</summary>
    public RoundRuntime Open(OpenRoundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RosterStore.ValidateFederationName(request.Federation);
        IHostedScheme scheme = _schemes.Named(request.Scheme);
        if (Running >= _options.MaxRunningRounds)
        {
            throw new AggregatorProblemException(ProblemCode.TooManyRounds, $"{_options.MaxRunningRounds} rounds are already running");
        }
        RosterEntry[] roster = RosterSample.Of(_roster.ActiveRoster(request.Federation), request);
        if (roster.Length < 2)
        {
            throw new AggregatorProblemException(ProblemCode.RosterTooSmall, $"federation '{request.Federation}' has {roster.Length} enrolled client(s); a round needs at least 2");
        }
        RoundEncoding? encoding = request.Float is null && request.Dp is null ? null
            : FloatRounds.Encoding(request, roster.Length, scheme.FewestSurvivors(request, roster.Length), scheme.MinimumBits, _ledgers.Find);
        (IRoundServer server, int minimumClients) = scheme.Open(request, roster, encoding);
        long[] deadlines = RoundDeadlines.Parse(request, server.StageCount);
        QuietCloseRule? quiet = QuietCloseRule.Parse(request, server.StageCount);
        byte[] roundId = server.RoundId.ToArray();
        long now = NowMs;
        bool transcript = _options.TranscriptsEnabled;
        var rt = new RoundRuntime(roundId, request.Federation, scheme.Protocol, server, deadlines, minimumClients)
        {
            StageOpenedAtMs = now,
            Transcript = transcript,
            Encoding = encoding,
            QuietClose = quiet,
        };
        var row = new StoredRound(roundId, scheme.Scheme, request.Federation, server.Configuration.ToArray(), deadlines, minimumClients, now, null);
        void Store()
        {
            _store.Insert(row, transcript, f =>
            {
                if (encoding is not null)
                {
                    RoundEncodingStore.Insert(f, roundId, encoding);
                }
                RoundStore.InsertQuietClose(f, roundId, quiet);
            });
            _running[rt.Id] = rt;
        }
        if (encoding?.Dp is { } dp)
        {
            // The budget check and the insert under one lock: concurrent opens reserve their worst cases in turn.
            lock (_ledgers.Gate)
            {
                _ledgers.EnsureCanOpen(request.Federation, dp, OpenDpRounds(request.Federation));
                Store();
            }
        }
        else
        {
            Store();
        }
        _metrics.RoundsOpened.Add(1);
        _log.RoundOpened(rt.Id, WireNames.Of(scheme.Scheme), request.Federation, roster.Length, server.Threshold);
        _tracing.RoundStarted(rt.Id, WireNames.Of(scheme.Scheme), request.Federation, roster.Length, resumed: false);
        return rt;
    }

    /// <summary>Handles one envelope from <paramref name="clientId"/>; returns only after an accepted envelope is durable.</summary>
    public async Task<SubmitOutcome> SubmitAsync(RoundRuntime rt, uint clientId, byte[] bytes, CancellationToken ct)
    {
        _metrics.BytesReceived.Add(bytes.Length);
        string digest = Convert.ToHexString(SHA256.HashData(bytes));
        RoundLogQueue log = _writer.LogOf(rt);
        Task durable;
        bool flush = false;
        SubmitOutcome outcome = SubmitOutcome.Stored;
        await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _writer.EnsureReplayed(rt);
            if (rt.HasDigest(clientId, digest))
            {
                return SubmitOutcome.Resent;
            }
            if (log.PendingDigest(clientId, digest) is { } pending)
            {
                // A resend of an envelope whose commit is still on its way: answered 200 once that commit is durable.
                durable = pending;
                outcome = SubmitOutcome.Resent;
            }
            else
            {
                if (rt.End is not null || rt.Server.Progress is not { } progress)
                {
                    return Refuse(rt, clientId, new MessageRejection(RejectionReason.RoundClosed, $"the round is {WireNames.Of(rt.Phase)}"));
                }
                if (rt.Server.ClaimedSender(bytes) is uint sender && sender != clientId)
                {
                    throw new AggregatorProblemException(ProblemCode.SenderMismatch, $"the envelope names client {sender} but the request is signed by client {clientId}");
                }
                if (rt.Server.Handle(bytes) is { } rejection)
                {
                    return Refuse(rt, clientId, rejection);
                }
                TranscriptEntry? record = rt.Transcript ? TranscriptEntry.FromClient(clientId, NowMs, bytes) : null;
                byte[] digestBytes = Convert.FromHexString(digest);
                string label = progress.Label;
                durable = log.Append(rt.NextSeq, seq => f => RoundStore.AcceptRows(f, rt.RoundId, seq, clientId, digestBytes, bytes, record), () =>
                {
                    _kill.After(DurableStep.EnvelopeLogged, label);
                    rt.Accepted(clientId, digest);
                    _metrics.MessagesAccepted.Add(1, new KeyValuePair<string, object?>("stage", label));
                }, (clientId, digest), out flush);
                if (rt.Server.Progress is { AllReceived: true })
                {
                    CloseStageLocked(rt, StageCloseCause.AllReceived);
                }
            }
        }
        finally
        {
            rt.Gate.Release();
        }
        _writer.StartFlush(rt, flush);
        await durable.ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Waits up to <paramref name="wait"/> for <paramref name="lookup"/> to find the client's answer.</summary>
    /// <exception cref="AggregatorProblemException">503 storage-unavailable while the round's log cannot be read back.</exception>
    public async Task<T> PollAsync<T>(RoundRuntime rt, Func<T> lookup, Func<T, bool> ready, Func<T, byte[]?> bytes, TimeSpan wait, CancellationToken ct)
    {
        await EnsureReadableAsync(rt, ct).ConfigureAwait(false);
        T outcome = await LongPoll.UntilAsync(() => rt.Changed, lookup, ready, wait, _time, ct).ConfigureAwait(false);
        // A commit that failed during the wait may have left the round half rebuilt: answer only from a whole one.
        await EnsureReadableAsync(rt, ct).ConfigureAwait(false);
        if (bytes(outcome) is { } sent)
        {
            _metrics.BytesSent.Add(sent.Length);
        }
        return outcome;
    }

    /// <summary>
    /// Before a read of the round (its RoundInfo, a poll): a round that must be rebuilt from its log after a failed
    /// commit is rebuilt first, so no read answers from a round ahead of its log or half rebuilt.
    /// </summary>
    /// <exception cref="AggregatorProblemException">503 storage-unavailable while the round's log cannot be read back.</exception>
    public async Task EnsureReadableAsync(RoundRuntime rt, CancellationToken ct)
    {
        if (!rt.NeedsReplay)
        {
            return;
        }
        await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _writer.EnsureReplayed(rt);
        }
        finally
        {
            rt.Gate.Release();
        }
    }

    /// <summary>Closes every stage whose deadline passed, whose quiet close rule fired (<see cref="RoundRuntime.DueCause"/>), or
    /// whose envelopes all arrived before a restart.</summary>
    public async Task CloseDueStagesAsync(CancellationToken ct)
    {
        foreach (RoundRuntime rt in _running.Values)
        {
            if (rt.DueCause(NowMs) is null && !rt.NeedsReplay)
            {
                continue;
            }
            await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
            bool flush = false;
            try
            {
                _writer.EnsureReplayed(rt);
                if (rt.DueCause(NowMs) is { } cause)
                {
                    flush = CloseStageLocked(rt, cause);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.StorageFailure(e, rt.Id);
            }
            finally
            {
                rt.Gate.Release();
            }
            _writer.StartFlush(rt, flush);
        }
    }

    /// <summary>
    /// Completes once every write the round queued so far is durable and published: a status read after it sees the
    /// round as its acknowledged messages left it, never between a close that ended the round and its publication.
    /// </summary>
    public async Task SettledAsync(RoundRuntime rt, CancellationToken ct)
    {
        RoundLogQueue log = _writer.LogOf(rt);
        Task settled = await rt.UnderGateAsync(() => log.Settled, ct).ConfigureAwait(false);
        try
        {
            await settled.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (AggregatorProblemException)
        {
            // A failed commit rebuilt the round from its log (or left it to be rebuilt: the read then answers 503).
        }
    }

    /// <summary>Ends a running round at the operator's request (clients receive the scheme's abort notice).</summary>
    public async Task AbortAsync(RoundRuntime rt, string detail, CancellationToken ct)
    {
        RoundLogQueue log = _writer.LogOf(rt);
        Task durable;
        bool flush = false;
        await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _writer.EnsureReplayed(rt);
            if (rt.End is not null)
            {
                return;
            }
            if (rt.Server.Progress is null)
            {
                // A close that ends the round is on its way to disk: nothing left to abort; wait until it is published.
                durable = log.Settled;
            }
            else
            {
                long now = NowMs;
                StageClose abort = rt.Server.Abort(detail);
                RoundEnd end = abort.End!;
                List<TranscriptEntry>? records = rt.Transcript ? TranscriptEntry.OfClose(recordsClose: false, abort.Sent, now) : null;
                // The outcome adds no log row, so it takes no log position.
                string? graphSeed = SchemeOf(rt).GraphSeed(rt.Server);
                durable = log.Enqueue(f => RoundStore.FinishRows(f, rt.RoundId, end, records, graphSeed), () =>
                {
                    rt.Finish(end);
                    Retire(rt); // its end is durable: from now on it is served from the store
                    _metrics.CountFinished(WireNames.Of(RoundPhase.Aborted));
                    _log.RoundAborted(rt.Id, end.Abort!.ReasonName, detail);
                    _tracing.RoundEnded(rt.Id, WireNames.Of(RoundPhase.Aborted), end.Abort.ReasonName);
                }, out flush);
            }
        }
        finally
        {
            rt.Gate.Release();
        }
        _writer.StartFlush(rt, flush);
        await durable.ConfigureAwait(false);
    }

    // Worst cases of the federation's DP rounds still running: reserved against its budget until they are charged.
    private IEnumerable<DpRoundParameters> OpenDpRounds(string federation) =>
        _running.Values.Where(r => r.End is null && r.Federation == federation && r.Encoding?.Dp is not null).Select(r => r.Encoding!.Dp!);

    // Closes the stage in memory and queues its log row; what it publishes (the close's messages, the round's end)
    // is applied once that row is durable. Returns true when the caller must start the round's flush.
    private bool CloseStageLocked(RoundRuntime rt, StageCloseCause cause)
    {
        RoundProgress progress = rt.Server.Progress!;
        long now = NowMs;
        StageClose close = rt.Server.Close();
        RoundLogQueue log = _writer.LogOf(rt);
        List<TranscriptEntry>? records = rt.Transcript ? TranscriptEntry.OfClose(SchemeOf(rt).TranscriptRecordsCloses, close.Sent, now) : null;
        long openedAtMs = rt.StageOpenedAtMs;
        rt.StageOpenedAtMs = now;
        Func<long, Action<SqliteCommandFactory>> write;
        Action<Action>? commitAround = null;
        string? graphSeed = close.End is null ? null : SchemeOf(rt).GraphSeed(rt.Server);
        if (close.End?.Result is { } result && rt.Encoding?.Dp is { } dp)
        {
            // The charge and the outcome commit together: no durable state has one without the other (the ledger
            // takes the charge back when the commit fails).
            PrivacyLedgerEntry? charged = null;
            write = seq => f => RoundStore.CloseRows(f, rt.RoundId, seq, now, close.End, records, g => PrivacyLedgerStore.Append(g, rt.Federation, charged!), graphSeed);
            commitAround = commit =>
            {
                lock (_ledgers.Gate)
                {
                    _ledgers.Charge(rt.Federation, rt.RoundId, dp, result.Survivors.Count, entry =>
                    {
                        charged = entry;
                        commit();
                    });
                }
            };
        }
        else
        {
            write = seq => f => RoundStore.CloseRows(f, rt.RoundId, seq, now, close.End, records, graphSeed: graphSeed);
        }
        log.Append(rt.NextSeq, write, () => PublishClose(rt, close, progress, cause, openedAtMs, now), null, out bool flush, commitAround);
        return flush;
    }

    private void PublishClose(RoundRuntime rt, StageClose close, RoundProgress progress, StageCloseCause cause, long openedAtMs, long now)
    {
        _kill.After(close.End is null ? DurableStep.StageCloseLogged : DurableStep.OutcomeStored, progress.Label);
        var stage = new KeyValuePair<string, object?>("stage", progress.Label);
        _metrics.StageDuration.Record((now - openedAtMs) / 1000.0, stage);
        rt.ApplyClose(close);
        _metrics.StagesClosed.Add(1, stage, new("cause", cause.Label()));
        if (progress.Expected > progress.Received)
        {
            _metrics.ClientsDropped.Add(progress.Expected - progress.Received, stage);
        }
        _log.StageClosed(rt.Id, progress.Label, progress.Received, progress.Expected, cause.Label(), WireNames.Of(rt.Phase));
        _tracing.StageClosed(rt.Id, progress.Label, DateTimeOffset.FromUnixTimeMilliseconds(openedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(now),
            progress.Received, progress.Expected, cause.Label());
        if (close.End is { } end)
        {
            Retire(rt);
            _metrics.CountFinished(WireNames.Of(end.Phase));
            if (end.Abort is { } abort)
            {
                _log.RoundAborted(rt.Id, abort.ReasonName, abort.Detail);
            }
            else
            {
                _log.RoundCompleted(rt.Id);
            }
            _tracing.RoundEnded(rt.Id, WireNames.Of(end.Phase), end.Abort?.ReasonName);
        }
    }

    private SubmitOutcome Refuse(RoundRuntime rt, uint clientId, MessageRejection rejection)
    {
        _metrics.CountRejected(rejection.Reason.ToString());
        _log.MessageRefused(rt.Id, clientId, rejection.Reason.ToString());
        return SubmitOutcome.Refused(rejection);
    }

    // An ended round leaves memory once its end is durable (called where the flush publishes that end, under the gate);
    // its stored outcome serves it from now on (requests already holding this runtime
    // finish on it: it is ended, so they only read it).
    private void Retire(RoundRuntime rt) => _running.TryRemove(rt.Id, out _);

    private static AggregatorProblemException UnknownRound(string id) => new(ProblemCode.UnknownRound, $"no round {id}");

    // Start-up: only running rounds come back into memory, each replayed from its log; ended ones are read on demand.
    private void LoadRunning()
    {
        foreach ((StoredRound row, RoundRuntime rt) in _loader.Running(NowMs, (long)(_options.RestartGraceSeconds * 1000)))
        {
            _log.RoundResumed(rt.Id, rt.Server.Progress?.Label ?? WireNames.Of(rt.Phase));
            _tracing.RoundStarted(rt.Id, WireNames.Of(row.Scheme), row.Federation, rt.Server.Identities.Count, resumed: true);
            _running[rt.Id] = rt;
        }
    }
}
