using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Storage;
using SecureFed.Audit.Transcripts;
using SecureFed.HeProtocol.Configuration;
using SecureFed.Protocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.Protocol.Messages;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.HeRounds;

/// <summary>
/// Runs every HE round: opens them, appends each accepted envelope and each stage close to the round's replay log
/// before acknowledging, closes stages when all expected envelopes arrived or the deadline passed, and rebuilds
/// running rounds with <see cref="HeServer.Replay"/> at start-up.
/// </summary>
internal sealed partial class HeRoundCoordinator
{
    private readonly ConcurrentDictionary<string, HeRoundRuntime> _rounds = new(StringComparer.Ordinal);
    private readonly HeRoundStore _store;
    private readonly RosterStore _roster;
    private readonly AggregatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly AggregatorOptions _options;
    private readonly ILogger<HeRoundCoordinator> _log;

    public HeRoundCoordinator(HeRoundStore store, RosterStore roster, AggregatorMetrics metrics, TimeProvider time,
        IOptions<AggregatorOptions> options, ILogger<HeRoundCoordinator> log)
    {
        _store = store;
        _roster = roster;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _log = log;
        // The gauge covers both schemes: chain onto the masking coordinator's count (resolved first at start-up).
        Func<int> masking = _metrics.RunningRounds;
        _metrics.RunningRounds = () => masking() + Running;
        LoadAll();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public IEnumerable<HeRoundRuntime> Rounds => _rounds.Values;

    public int Running => _rounds.Values.Count(r => r.Status == RoundStore.Running);

    public bool TryGet(string id, out HeRoundRuntime rt) => _rounds.TryGetValue(id.ToLowerInvariant(), out rt!);

    /// <summary>Opens an HE round over the federation's current roster.</summary>
    /// <param name="runningElsewhere">Running masking rounds (the service-wide MaxRunningRounds counts both schemes).</param>
    public HeRoundRuntime Open(OpenRoundRequest request, int runningElsewhere)
    {
        ArgumentNullException.ThrowIfNull(request);
        RosterStore.ValidateFederationName(request.Federation);
        if (Running + runningElsewhere >= _options.MaxRunningRounds)
        {
            throw new AggregatorProblemException(429, "too-many-rounds", $"{_options.MaxRunningRounds} rounds are already running");
        }
        RosterEntry[] roster = _roster.ActiveRoster(request.Federation);
        if (roster.Length < 2)
        {
            throw new AggregatorProblemException(409, "roster-too-small", $"federation '{request.Federation}' has {roster.Length} enrolled client(s); a round needs at least 2");
        }
        long[] deadlines = HeStageDeadlines.Parse(request);
        HeRoundParameters parameters = HeRoundConfigurationBuilder.Build(request, roster);
        HeRoundConfiguration configuration = parameters.Configuration;
        long now = NowMs;
        bool transcript = _options.TranscriptsEnabled;
        _store.Insert(new StoredRound(configuration.RoundId, request.Federation, parameters.EncodedConfiguration.ToArray(), deadlines,
            configuration.MinimumClients, now, RoundStore.Running, null, null, null, null, null), transcript);
        var rt = new HeRoundRuntime(configuration.RoundId, request.Federation, parameters, deadlines) { StageOpenedAtMs = now, Transcript = transcript };
        rt.Start(HeServer.Start(parameters));
        _rounds[rt.Id] = rt;
        _metrics.RoundsOpened.Add(1);
        LogOpened(rt.Id, request.Federation, roster.Length, configuration.Decryptors.Length, configuration.Threshold);
        return rt;
    }

    /// <summary>Handles one envelope from <paramref name="clientId"/>; returns only after an accepted envelope is durable.</summary>
    public async Task<HeSubmitOutcome> SubmitAsync(HeRoundRuntime rt, uint clientId, byte[] bytes, CancellationToken ct)
    {
        _metrics.BytesReceived.Add(bytes.Length);
        string digest = Convert.ToHexString(SHA256.HashData(bytes));
        await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (rt.HasDigest(clientId, digest))
            {
                return HeSubmitOutcome.Resent;
            }
            HeServerState? state = rt.State;
            if (state is null)
            {
                return Refuse(new HeRejection(HeRejectionReason.RoundClosed, $"the round is {rt.Status}"));
            }
            if (SubmittedEnvelope.TryDecode<HeEnvelope>(bytes, rt.MaxEnvelopeBytes) is { } envelope)
            {
                SubmittedEnvelope.EnsureSender(envelope.SenderId, clientId);
            }
            int stage = (int)state.Stage!.Value;
            HeServerTransition t = state.HandleBytes(bytes);
            if (t.Rejection is { } rejection)
            {
                return Refuse(rejection);
            }
            try
            {
                TranscriptEntry? record = rt.Transcript ? TranscriptEntry.FromClient(clientId, NowMs, bytes) : null;
                _store.Accept(rt.RoundId, rt.NextSeq, clientId, Convert.FromHexString(digest), bytes, record);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The state machine holds an envelope the disk does not: rebuild the round from what is durable.
                LogStorageFailure(e, rt.Id);
                Replay(rt, NowMs, 0);
                throw new AggregatorProblemException(503, "storage-unavailable", "the message could not be stored; retry");
            }
            rt.Accepted(clientId, digest);
            _metrics.MessagesAccepted.Add(1, new KeyValuePair<string, object?>("stage", "H" + stage));
            if (state.AllExpectedReceived)
            {
                CloseStageLocked(rt, "all-received");
            }
            return HeSubmitOutcome.Stored;
        }
        finally
        {
            rt.Gate.Release();
        }
    }

    /// <summary>Waits up to <paramref name="wait"/> for the first close at or after <paramref name="close"/>.</summary>
    public async Task<HeDeliveryOutcome> PollAsync(HeRoundRuntime rt, uint clientId, int close, TimeSpan wait, CancellationToken ct)
    {
        Transport.HeDelivery? delivery = await LongPoll.UntilAsync(() => rt.Changed, () => rt.Lookup(clientId, close), d => d is not null, wait, _time, ct)
            .ConfigureAwait(false);
        byte[]? bytes = delivery is null ? null : MessageCodec.Encode(delivery);
        if (bytes is not null)
        {
            _metrics.BytesSent.Add(bytes.Length);
        }
        return new HeDeliveryOutcome(bytes);
    }

    /// <summary>Closes every stage whose deadline passed (or whose envelopes all arrived before a restart).</summary>
    public async Task CloseDueStagesAsync(CancellationToken ct)
    {
        foreach (HeRoundRuntime rt in _rounds.Values)
        {
            if (rt.State is not { } s || (!s.AllExpectedReceived && NowMs < rt.StageDeadlineMs))
            {
                continue;
            }
            await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (rt.State is { } state && (state.AllExpectedReceived || NowMs >= rt.StageDeadlineMs))
                {
                    CloseStageLocked(rt, state.AllExpectedReceived ? "all-received" : "deadline");
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStorageFailure(e, rt.Id);
            }
            finally
            {
                rt.Gate.Release();
            }
        }
    }

    /// <summary>Ends a running round at the operator's request (parties receive an abort notice).</summary>
    public async Task AbortAsync(HeRoundRuntime rt, string detail, CancellationToken ct)
    {
        await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (rt.Status != RoundStore.Running)
            {
                return;
            }
            // HeAbortReason has no operator value; 0 marks "aborted by the host", outside the protocol's reasons.
            var notice = new HeAbortNotice { Reason = HeAbortReason.OperatorAborted, Detail = detail };
            List<TranscriptEntry>? sent = null;
            if (rt.Transcript)
            {
                byte[] bytes = MessageCodec.Encode<HeServerMessage>(notice);
                long now = NowMs;
                sent = [.. rt.Parameters.ClientIds.Select(id => new TranscriptEntry((int)TranscriptRecordKind.ServerToClient, id, now, bytes))];
            }
            _store.Finish(rt.RoundId, new RoundOutcome(RoundStore.Aborted, 0, detail, null, null, null), sent);
            rt.FinishAborted(notice);
            _metrics.CountFinished(RoundStore.Aborted);
            LogAborted(rt.Id, "operator", detail);
        }
        finally
        {
            rt.Gate.Release();
        }
    }

    private void CloseStageLocked(HeRoundRuntime rt, string cause)
    {
        HeServerState state = rt.State!;
        int stage = (int)state.Stage!.Value;
        int expected = state.Expected.Count, received = state.Received.Count;
        long now = NowMs;
        HeServerTransition t = state.CloseStage();
        RoundOutcome? outcome = t.Next switch
        {
            HeServerCompletedState done => new RoundOutcome(RoundStore.Completed, null, null, WordCodec.Sums([done.Result.Sum]), WordCodec.Ids(done.Result.Contributors), null),
            HeServerAbortedState aborted => new RoundOutcome(RoundStore.Aborted, (int)aborted.Reason, aborted.Detail, null, null, null),
            _ => null,
        };
        try
        {
            _store.Close(rt.RoundId, rt.NextSeq, now, outcome, (t.Next as HeServerCompletedState)?.Attempts,
                rt.Transcript ? CloseEntries(t.Outgoing, now) : null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStorageFailure(e, rt.Id);
            Replay(rt, now, 0);
            return;
        }
        _metrics.StageDuration.Record((now - rt.StageOpenedAtMs) / 1000.0, new KeyValuePair<string, object?>("stage", "H" + stage));
        rt.StageOpenedAtMs = now;
        rt.ApplyClose(t);
        _metrics.StagesClosed.Add(1, new("stage", "H" + stage), new("cause", cause));
        if (expected > received)
        {
            _metrics.ClientsDropped.Add(expected - received, new KeyValuePair<string, object?>("stage", "H" + stage));
        }
        LogStageClosed(rt.Id, stage, received, expected, cause, rt.State?.Name ?? rt.Status);
        if (outcome is not null)
        {
            _metrics.CountFinished(outcome.Status);
        }
    }

    // The transcript records of a close: StageClosed, then each outgoing message once per recipient (ascending).
    private static List<TranscriptEntry> CloseEntries(IReadOnlyList<HeOutgoingMessage> outgoing, long nowMs) =>
    [
        new TranscriptEntry((int)TranscriptRecordKind.StageClosed, 0, nowMs, []),
        .. outgoing.SelectMany(o =>
        {
            byte[] bytes = MessageCodec.Encode(o.Message);
            return TranscriptEntry.ToRecipients(o.Recipients, nowMs, bytes);
        }),
    ];

    private void Replay(HeRoundRuntime rt, long nowMs, long graceMs) => HeRoundReplayer.Replay(rt, _store, nowMs, graceMs);

    private HeSubmitOutcome Refuse(HeRejection rejection)
    {
        _metrics.CountRejected(rejection.Reason.ToString());
        return HeSubmitOutcome.Refused(rejection);
    }

    private void LoadAll()
    {
        long now = NowMs;
        foreach (var (row, attempts) in _store.LoadAll())
        {
            HeRoundParameters parameters = HeRoundParameters.Create(MessageCodec.Decode<HeRoundConfiguration>(row.Configuration, int.MaxValue));
            var rt = new HeRoundRuntime(row.RoundId, row.Federation, parameters, row.DeadlinesMs)
            {
                StageOpenedAtMs = row.StageOpenedAtMs,
                Transcript = _store.HasTranscript(row.RoundId),
            };
            switch (row.Status)
            {
                case RoundStore.Completed:
                    rt.FinishCompleted(new HeRoundResult
                    {
                        Sum = WordCodec.ReadSums(row.Result!, [parameters.Configuration.VectorLength])[0],
                        Contributors = WordCodec.ReadIds(row.Survivors),
                    }, attempts ?? 1);
                    break;
                case RoundStore.Aborted:
                    rt.FinishAborted(new HeAbortNotice { Reason = (HeAbortReason)(row.AbortReason ?? 0), Detail = row.AbortDetail ?? "" });
                    break;
                default:
                    Replay(rt, now, (long)(_options.RestartGraceSeconds * 1000));
                    LogResumed(rt.Id, rt.State?.Name ?? rt.Status);
                    break;
            }
            _rounds[rt.Id] = rt;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HE round {RoundId} opened in federation {Federation}: {Clients} clients, {Decryptors} decryptors, threshold {Threshold}")]
    private partial void LogOpened(string roundId, string federation, int clients, int decryptors, int threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "HE round {RoundId} stage H{Stage} closed ({Cause}): {Received}/{Expected} messages; now {State}")]
    private partial void LogStageClosed(string roundId, int stage, int received, int expected, string cause, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HE round {RoundId} aborted: {Reason}: {Detail}")]
    private partial void LogAborted(string roundId, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "HE round {RoundId} resumed from storage in {State}")]
    private partial void LogResumed(string roundId, string state);

    [LoggerMessage(Level = LogLevel.Error, Message = "HE round {RoundId}: storage failure; the round was rebuilt from the database")]
    private partial void LogStorageFailure(Exception e, string roundId);
}
