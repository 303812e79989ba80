using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Storage;
using SecureFed.Audit.Transcripts;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// Runs every round: opens them, stores each accepted message durably before acknowledging it, closes stages when all
/// expected messages arrived or the deadline passed, and rebuilds running rounds from storage at start-up.
/// </summary>
internal sealed partial class RoundCoordinator
{
    private readonly ConcurrentDictionary<string, RoundRuntime> _rounds = new(StringComparer.Ordinal);
    private readonly RoundStore _store;
    private readonly RosterStore _roster;
    private readonly AggregatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly AggregatorOptions _options;
    private readonly ILogger<RoundCoordinator> _log;

    public RoundCoordinator(RoundStore store, RosterStore roster, AggregatorMetrics metrics, TimeProvider time,
        IOptions<AggregatorOptions> options, ILogger<RoundCoordinator> log)
    {
        _store = store;
        _roster = roster;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _log = log;
        _metrics.RunningRounds = () => _rounds.Values.Count(r => r.Status == RoundStore.Running);
        LoadAll();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public IEnumerable<RoundRuntime> Rounds => _rounds.Values;

    public RoundRuntime Get(string id) =>
        _rounds.TryGetValue(id.ToLowerInvariant(), out RoundRuntime? r) ? r : throw new AggregatorProblemException(404, "unknown-round", $"no round {id}");

    public RosterStore Roster => _roster;

    /// <summary>Running masking rounds.</summary>
    public int Running => _rounds.Values.Count(r => r.Status == RoundStore.Running);

    /// <param name="request">The round to open.</param>
    /// <param name="runningElsewhere">Running HE rounds (the service-wide MaxRunningRounds counts both schemes).</param>
    public RoundRuntime Open(OpenRoundRequest request, int runningElsewhere = 0)
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
        int threshold = request.Threshold ?? RoundParameters.MinimumThreshold(roster.Length);
        int minClients = request.MinClients ?? threshold;
        if (minClients < threshold || minClients > roster.Length)
        {
            throw new AggregatorProblemException(400, "invalid-configuration", $"MinClients must be in [threshold {threshold}, roster {roster.Length}], got {minClients}");
        }
        long[] deadlines = new long[5];
        for (int s = 0; s < 5; s++)
        {
            double seconds = request.StageDeadlinesSeconds is { } list && s < list.Count ? list[s] : request.StageDeadlineSeconds;
            if (!(seconds is > 0 and <= 86_400))
            {
                throw new AggregatorProblemException(400, "invalid-configuration", $"the deadline of stage {s} must be in (0, 86400] seconds, got {seconds}");
            }
            deadlines[s] = (long)Math.Ceiling(seconds * 1000);
        }
        var configuration = new RoundConfiguration
        {
            RoundId = RandomNumberGenerator.GetBytes(RoundIds.Size),
            Vectors = [.. (request.Vectors ?? []).Select(v => new VectorSpec { Length = v?.Length ?? 0, Bits = v?.Bits ?? 0 })],
            Threshold = threshold,
            Graph = GraphKind.Complete,
            Roster = roster,
        };
        RoundParameters parameters;
        try
        {
            parameters = RoundParameters.Create(configuration);
        }
        catch (InvalidRoundConfigurationException e)
        {
            throw new AggregatorProblemException(400, "invalid-configuration", e.Message);
        }
        long now = NowMs;
        bool transcript = _options.TranscriptsEnabled;
        _store.Insert(new StoredRound(configuration.RoundId, request.Federation, parameters.EncodedConfiguration.ToArray(), deadlines, minClients, now,
            RoundStore.Running, null, null, null, null, null), transcript);
        var rt = new RoundRuntime(configuration.RoundId, request.Federation, parameters, deadlines, minClients) { StageOpenedAtMs = now, Transcript = transcript };
        rt.Start(SecAggServer.Start(parameters));
        _rounds[rt.Id] = rt;
        _metrics.RoundsOpened.Add(1);
        LogOpened(rt.Id, request.Federation, roster.Length, threshold);
        return rt;
    }

    /// <summary>Handles one envelope from <paramref name="clientId"/>; returns only after an accepted message is durable.</summary>
    public async Task<SubmitOutcome> SubmitAsync(RoundRuntime rt, uint clientId, byte[] bytes, CancellationToken ct)
    {
        _metrics.BytesReceived.Add(bytes.Length);
        string digest = Convert.ToHexString(SHA256.HashData(bytes));
        await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (rt.HasDigest(clientId, digest))
            {
                return SubmitOutcome.Resent;
            }
            ServerState? state = rt.State;
            if (state is null || state.IsTerminal)
            {
                return Refuse(new MessageRejection(RejectionReason.RoundClosed, $"the round is {rt.Status}"));
            }
            if (SubmittedEnvelope.TryDecode<ClientEnvelope>(bytes, rt.MaxEnvelopeBytes) is { } envelope)
            {
                SubmittedEnvelope.EnsureSender(envelope.SenderId, clientId);
            }
            int stage = (int)state.Stage!.Value;
            ServerTransition t = state.HandleBytes(bytes);
            if (t.Rejection is { } rejection)
            {
                return Refuse(rejection);
            }
            try
            {
                byte[]? sums = state is ServerR2MaskedInputState r2 ? WordCodec.Sums(r2.RunningSums) : null;
                TranscriptEntry? record = rt.Transcript ? TranscriptEntry.FromClient(clientId, NowMs, bytes) : null;
                _store.Accept(rt.RoundId, stage, clientId, Convert.FromHexString(digest), sums is null ? bytes : null, sums, record);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The state machine holds a message the disk does not: rebuild the round from what is durable.
                LogStorageFailure(e, rt.Id);
                RoundReplayer.Replay(rt, _store, NowMs, 0);
                throw new AggregatorProblemException(503, "storage-unavailable", "the message could not be stored; retry");
            }
            rt.AddDigest(clientId, digest);
            _metrics.MessagesAccepted.Add(1, new KeyValuePair<string, object?>("stage", stage));
            if (state.AllExpectedReceived)
            {
                CloseStageLocked(rt, "all-received");
            }
            return SubmitOutcome.Stored;
        }
        finally
        {
            rt.Gate.Release();
        }
    }

    /// <summary>Waits up to <paramref name="wait"/> for the server message of <paramref name="stage"/> for the client.</summary>
    public async Task<PollOutcome> PollAsync(RoundRuntime rt, uint clientId, int stage, TimeSpan wait, CancellationToken ct)
    {
        PollOutcome outcome = await LongPoll.UntilAsync(() => rt.Changed, () => rt.Lookup(clientId, stage), o => o.Ready, wait, _time, ct)
            .ConfigureAwait(false);
        if (outcome.Bytes is not null)
        {
            _metrics.BytesSent.Add(outcome.Bytes.Length);
        }
        return outcome;
    }

    /// <summary>Closes every stage whose deadline passed (or whose messages all arrived before a restart).</summary>
    public async Task CloseDueStagesAsync(CancellationToken ct)
    {
        foreach (RoundRuntime rt in _rounds.Values)
        {
            if (rt.State is not { IsTerminal: false } s || (!s.AllExpectedReceived && NowMs < rt.StageDeadlineMs))
            {
                continue;
            }
            await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (rt.State is { IsTerminal: false } state && (state.AllExpectedReceived || NowMs >= rt.StageDeadlineMs))
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

    /// <summary>Ends a running round at the operator's request.</summary>
    public async Task AbortAsync(RoundRuntime rt, string detail, CancellationToken ct)
    {
        await rt.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (rt.Status == RoundStore.Running)
            {
                HostAbort(rt, AbortReason.ServerAborted, detail);
            }
        }
        finally
        {
            rt.Gate.Release();
        }
    }

    private void CloseStageLocked(RoundRuntime rt, string cause)
    {
        ServerState state = rt.State!;
        int stage = (int)state.Stage!.Value;
        int expected = state.Expected.Count, received = state.Received.Count;
        long now = NowMs;
        if (stage == 0 && received < rt.MinClients)
        {
            HostAbort(rt, AbortReason.TooFewClients, $"{received} clients advertised keys, fewer than the round's minimum of {rt.MinClients}");
            return;
        }
        ServerTransition t = state.CloseStage();
        RoundOutcome? outcome = t.Next switch
        {
            ServerCompletedState done => new RoundOutcome(RoundStore.Completed, null, null, WordCodec.Sums(done.Result.Sums.Select(v => (ReadOnlyMemory<ulong>)v)),
                WordCodec.Ids(done.Result.Survivors), WordCodec.Ids(done.Result.Dropped)),
            ServerAbortedState aborted => new RoundOutcome(RoundStore.Aborted, (int)aborted.Reason, aborted.Detail, null, null, null),
            _ => null,
        };
        try
        {
            _store.CloseStage(rt.RoundId, stage, now, outcome, rt.Transcript ? SentEntries(t.Outgoing, now) : null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStorageFailure(e, rt.Id);
            RoundReplayer.Replay(rt, _store, now, 0);
            return;
        }
        _metrics.StageDuration.Record((now - rt.StageOpenedAtMs) / 1000.0, new KeyValuePair<string, object?>("stage", stage));
        rt.StageOpenedAtMs = now;
        rt.ApplyClose(stage, t);
        _metrics.StagesClosed.Add(1, new("stage", stage), new("cause", cause));
        if (expected > received)
        {
            _metrics.ClientsDropped.Add(expected - received, new KeyValuePair<string, object?>("stage", stage));
        }
        LogStageClosed(rt.Id, stage, received, expected, cause, rt.Status);
        if (outcome is not null)
        {
            _metrics.CountFinished(outcome.Status);
        }
    }

    private void HostAbort(RoundRuntime rt, AbortReason reason, string detail)
    {
        var notice = new RoundAbortNotice { Reason = reason, Detail = detail };
        // The notice is served to whoever polls; the transcript records it for every client the open stage expected.
        IReadOnlyList<TranscriptEntry>? sent = rt.Transcript
            ? SentEntries([new OutgoingMessage([.. (rt.State?.Expected ?? []).Order()], notice)], NowMs)
            : null;
        _store.Finish(rt.RoundId, new RoundOutcome(RoundStore.Aborted, (int)reason, detail, null, null, null), sent);
        rt.FinishAborted(notice);
        _metrics.CountFinished(RoundStore.Aborted);
        LogAborted(rt.Id, reason.ToString(), detail);
    }

    // One transcript entry per recipient, ascending, with the bytes the recipient's poll returns.
    private static List<TranscriptEntry> SentEntries(IReadOnlyList<OutgoingMessage> outgoing, long nowMs) =>
        [.. outgoing.SelectMany(o =>
        {
            byte[] bytes = MessageCodec.EncodeServerMessage(o.Message);
            return TranscriptEntry.ToRecipients(o.Recipients, nowMs, bytes);
        })];

    private SubmitOutcome Refuse(MessageRejection rejection)
    {
        _metrics.CountRejected(rejection.Reason.ToString());
        return SubmitOutcome.Refused(rejection);
    }

    private void LoadAll()
    {
        long now = NowMs;
        foreach (StoredRound row in _store.LoadAll())
        {
            RoundConfiguration configuration = MessageCodec.Decode<RoundConfiguration>(row.Configuration, int.MaxValue);
            RoundParameters parameters = RoundParameters.Create(configuration);
            var rt = new RoundRuntime(row.RoundId, row.Federation, parameters, row.DeadlinesMs, row.MinClients)
            {
                StageOpenedAtMs = row.StageOpenedAtMs,
                Transcript = _store.HasTranscript(row.RoundId),
            };
            switch (row.Status)
            {
                case RoundStore.Completed:
                    rt.FinishCompleted(WordCodec.ReadSums(row.Result!, [.. parameters.Vectors.Select(v => v.Length)]), WordCodec.ReadIds(row.Survivors), WordCodec.ReadIds(row.Dropped));
                    break;
                case RoundStore.Aborted:
                    rt.FinishAborted(new RoundAbortNotice { Reason = (AbortReason)(row.AbortReason ?? (int)AbortReason.ServerAborted), Detail = row.AbortDetail ?? "" });
                    break;
                default:
                    RoundReplayer.Replay(rt, _store, now, (long)(_options.RestartGraceSeconds * 1000));
                    LogResumed(rt.Id, rt.State?.Name ?? rt.Status);
                    break;
            }
            _rounds[rt.Id] = rt;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "round {RoundId} opened in federation {Federation}: {Clients} clients, threshold {Threshold}")]
    private partial void LogOpened(string roundId, string federation, int clients, int threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "round {RoundId} stage {Stage} closed ({Cause}): {Received}/{Expected} messages; round {Status}")]
    private partial void LogStageClosed(string roundId, int stage, int received, int expected, string cause, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "round {RoundId} aborted: {Reason}: {Detail}")]
    private partial void LogAborted(string roundId, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "round {RoundId} resumed from storage in {State}")]
    private partial void LogResumed(string roundId, string state);

    [LoggerMessage(Level = LogLevel.Error, Message = "round {RoundId}: storage failure; the round was rebuilt from the database")]
    private partial void LogStorageFailure(Exception e, string roundId);
}
