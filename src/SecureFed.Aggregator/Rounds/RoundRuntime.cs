using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// One round in memory, whatever its scheme: its server (behind <see cref="IRoundServer"/>), the messages of the
/// latest stage close per recipient, the digests of accepted envelopes (idempotent resends), the log position and the
/// outcome. Mutations happen under <see cref="Gate"/>; polls read the published close and outcome without it.
/// </summary>
internal sealed class RoundRuntime
{
    private readonly HashSet<(uint Client, string Digest)> _digests = [];
    private readonly IRoundProtocol _protocol;
    private readonly Lock _infoGate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CloseOutbox? _latest;
    private volatile RoundEnd? _end;
    private volatile InfoCache? _info;
    private volatile bool _needsReplay;
    private Heard? _heard;

    public RoundRuntime(byte[] roundId, string federation, IRoundProtocol protocol, IRoundServer server, long[] deadlinesMs, int minimumClients)
    {
        RoundId = roundId;
        Id = RoundIds.Format(roundId);
        Federation = federation;
        _protocol = protocol;
        Server = server;
        DeadlinesMs = deadlinesMs;
        MinimumClients = minimumClients;
        ClientIdsByKey = server.Identities.ToDictionary(kv => kv.Value.ToString(), kv => kv.Key, StringComparer.Ordinal);
    }

    public byte[] RoundId { get; }

    public string Id { get; }

    public string Federation { get; }

    /// <summary>Deadline of each stage in milliseconds after it opened (indexed by <see cref="RoundProgress.Stage"/>).</summary>
    public long[] DeadlinesMs { get; }

    public int MinimumClients { get; }

    /// <summary>The operator's quiet close rule, or null (the default: stages close on all received or the deadline only).</summary>
    public QuietCloseRule? QuietClose { get; init; }

    /// <summary>True when the round keeps every message for its transcript.</summary>
    public bool Transcript { get; init; }

    /// <summary>A float or DP round's encoding (also in its configuration: RoundConfiguration keys 7/8, HeRoundConfiguration 16/17); null for an integer round.</summary>
    public Protocols.RoundEncoding? Encoding { get; init; }

    /// <summary>An ended round read back from the database: the graph seed its live server had fixed (masking), else null.</summary>
    public string? EndedGraphSeed { get; init; }

    /// <summary>Roster client id per identity key (hex).</summary>
    public IReadOnlyDictionary<string, uint> ClientIdsByKey { get; }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Runs <paramref name="underGate"/> holding <see cref="Gate"/> and returns what it returned.</summary>
    public async Task<T> UnderGateAsync<T>(Func<T> underGate, CancellationToken ct)
    {
        await Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return underGate();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The round's server; replaced by a fresh one when the round is replayed.</summary>
    public IRoundServer Server { get; private set; }

    /// <summary>How the round ended, or null while it runs.</summary>
    public RoundEnd? End => _end;

    public RoundPhase Phase => _end?.Phase ?? RoundPhase.Running;

    public long StageOpenedAtMs { get; set; }

    /// <summary>After a restart, stages stay open at least until then so clients can reconnect.</summary>
    public long GraceUntilMs { get; set; }

    /// <summary>Stage closes so far.</summary>
    public int Closes { get; private set; }

    /// <summary>
    /// The durable log's next sequence number: one past the last row replayed or published (rows still queued in the
    /// round's group commit come on top of it, <see cref="RoundLogQueue.PendingRows"/>).
    /// </summary>
    public long NextSeq { get; private set; }

    /// <summary>
    /// True after a failed commit until the round has been rebuilt from its log: set and cleared under <see cref="Gate"/>;
    /// reads check it without the gate (then take it to rebuild).
    /// </summary>
    public bool NeedsReplay
    {
        get => _needsReplay;
        set => _needsReplay = value;
    }

    /// <summary>Completes when the round changes stage or ends; take it before checking, then wait.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public long StageDeadlineMs => _end is null && Server.Progress is { } p ? Math.Max(StageOpenedAtMs + DeadlinesMs[p.Stage], GraceUntilMs) : 0;

    /// <summary>The open stage's quiet close quorum, or null when the rule is off for it (or the round is over).</summary>
    public int? StageQuorum => _end is null && Server.Progress is { } p && QuietClose is { } rule && rule.QuietMsOf(p.Stage) > 0
        ? rule.Quorum(p.Expected, Math.Max(MinimumClients, Server.Threshold))
        : null;

    /// <summary>
    /// Why the open stage should close at <paramref name="nowMs"/> (<see cref="StageCloseCause.Quiet"/>: the quiet close
    /// rule: the quorum is in and no message was accepted for the stage's quiet period), or null. Both hosts call it from
    /// their one deadline check per round (it is not thread-safe), which also makes it the rule's clock: the received count
    /// is sampled at each call, so a quiet period is measured from the first call that saw the count's latest value, at
    /// most one check period after the message (a close comes late by up to that period, never early). After a restart
    /// the period starts over, and never ends before the restart grace.
    /// </summary>
    public StageCloseCause? DueCause(long nowMs)
    {
        if (_needsReplay || _end is not null || Server.Progress is not { } p)
        {
            return null;
        }
        if (p.AllReceived)
        {
            return StageCloseCause.AllReceived;
        }
        if (nowMs >= StageDeadlineMs)
        {
            return StageCloseCause.Deadline;
        }
        if (StageQuorum is not { } quorum)
        {
            return null;
        }
        if (_heard is not { } heard || heard.Closes != Closes || heard.Stage != p.Stage || heard.Received != p.Received)
        {
            _heard = new Heard(Closes, p.Stage, p.Received, nowMs);
            return null;
        }
        return p.Received >= quorum && nowMs >= Math.Max(heard.AtMs + QuietClose!.QuietMsOf(p.Stage), GraceUntilMs)
            ? StageCloseCause.Quiet
            : null;
    }

    /// <summary>Starts over with a fresh server from the round's configuration (the start of a replay).</summary>
    public void Restart()
    {
        Server = _protocol.Start(Server.Configuration, MinimumClients);
        Closes = 0;
        NextSeq = 0;
        _digests.Clear();
        _latest = null;
        _end = null;
    }

    /// <summary>
    /// The end of a replay: the log continues after its last row, <paramref name="lastSeq"/>, even where earlier seqs are
    /// missing (a log written by a build whose group commit left gaps): the next row never collides with a stored one.
    /// </summary>
    public void ReplayedUpTo(long lastSeq) => NextSeq = Math.Max(NextSeq, lastSeq + 1);

    public bool HasDigest(uint client, string digest) => _digests.Contains((client, digest));

    /// <summary>Records an accepted envelope (its log entry is <see cref="NextSeq"/>, now taken).</summary>
    public void Accepted(uint client, string digest)
    {
        _digests.Add((client, digest));
        NextSeq++;
    }

    /// <summary>Publishes what a close produced (its log entry is <see cref="NextSeq"/>, now taken).</summary>
    public void ApplyClose(StageClose close)
    {
        _latest = Server.Delivery == ServerDelivery.LatestClose ? CloseOutbox.PerClose(Closes, close.Sent) : CloseOutbox.PerStage(Closes, close.Sent);
        Closes++;
        NextSeq++;
        if (close.End is { } end)
        {
            Finish(end);
        }
        SignalChange();
    }

    /// <summary>Publishes the round's end (a close that ended it, an operator abort, or the stored outcome at start-up).</summary>
    public void Finish(RoundEnd end)
    {
        _end = end;
        _latest = null;
        SignalChange();
    }

    /// <summary>
    /// A per-stage poll (<see cref="ServerDelivery.OnePerStage"/>): the caller's one message of close
    /// <paramref name="close"/> while that is the latest close, the round's final message once it ended.
    /// </summary>
    public PollOutcome LookupStage(uint client, int close)
    {
        if (_end is { } end)
        {
            return end.FinalMessage is { } final
                ? PollOutcome.Message(final)
                : PollOutcome.Gone(ProblemCode.RoundCompleted, "the round is completed; no further server messages");
        }
        CloseOutbox? latest = _latest;
        if (latest is null || close > latest.Close)
        {
            return PollOutcome.NotReady;
        }
        if (close < latest.Close)
        {
            return PollOutcome.Gone(ProblemCode.StageOver, $"stage {close}'s messages are no longer served: the next stage has closed");
        }
        return latest.ByRecipient.TryGetValue(client, out byte[][]? m) && m.Length == 1
            ? PollOutcome.Message(m[0])
            : PollOutcome.Gone(ProblemCode.NotARecipient, $"client {client} gets no message from stage {close} (it missed a stage and was dropped)");
    }

    /// <summary>
    /// A per-close poll (<see cref="ServerDelivery.LatestClose"/>): the caller's encoded <see cref="HeDelivery"/> from the
    /// latest close if it is at or after <paramref name="close"/>, or once the round ended its final message; null while
    /// that close is ahead. Recipients of the same messages share one encoding, made once per close.
    /// </summary>
    public byte[]? LookupClose(uint client, int close)
    {
        if (_end is { } end)
        {
            return MessageCodec.Encode(new HeDelivery { Close = Math.Max(Math.Max(Closes - 1, 0), close), Messages = end.FinalMessage is { } final ? [final] : [] });
        }
        CloseOutbox? latest = _latest;
        if (latest is null || close > latest.Close)
        {
            return null;
        }
        return latest.Encoded!.TryGetValue(client, out byte[]? d) ? d : latest.EncodedEmpty;
    }

    /// <summary>
    /// The encoded <c>GET /v1/rounds/{id}</c> answer, made by <paramref name="encode"/> once per round state (stage,
    /// status, deadline, closes) and shared by every caller: the configuration holds the whole roster, so encoding
    /// it per request made R0 of a 10,000-client round hold a copy per waiting request (n^2 bytes).
    /// </summary>
    public byte[] InfoBytes(Func<byte[]> encode)
    {
        var state = (Stage: _end is null && Server.Progress is { } p ? p.Stage : -1, Phase, StageDeadlineMs, Closes);
        InfoCache? cached = _info;
        if (cached is not null && cached.State == state)
        {
            return cached.Bytes;
        }
        lock (_infoGate)
        {
            cached = _info;
            if (cached is null || cached.State != state)
            {
                _info = cached = new InfoCache(state, encode());
            }
            return cached.Bytes;
        }
    }

    private void SignalChange()
    {
        TaskCompletionSource old = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }

    // One close's encoded messages per recipient (per-stage delivery), or each recipient's encoded HeDelivery with
    // recipients of the same messages sharing one array (per-close delivery): memory grows with the distinct
    // deliveries, not with recipients times message size.
    private sealed record CloseOutbox(int Close, Dictionary<uint, byte[][]> ByRecipient, Dictionary<uint, byte[]>? Encoded, byte[]? EncodedEmpty)
    {
        public static CloseOutbox PerStage(int close, IReadOnlyList<SentMessage> sent) => new(close, Group(sent), null, null);

        public static CloseOutbox PerClose(int close, IReadOnlyList<SentMessage> sent)
        {
            Dictionary<uint, byte[][]> box = Group(sent);
            var shared = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var encoded = new Dictionary<uint, byte[]>(box.Count);
            var indices = new Dictionary<byte[], int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < sent.Count; i++)
            {
                indices.TryAdd(sent[i].Bytes, i);
            }
            foreach (var (recipient, messages) in box)
            {
                string key = string.Join(',', messages.Select(m => indices[m]));
                if (!shared.TryGetValue(key, out byte[]? bytes))
                {
                    shared[key] = bytes = MessageCodec.Encode(new HeDelivery { Close = close, Messages = messages });
                }
                encoded[recipient] = bytes;
            }
            return new(close, [], encoded, MessageCodec.Encode(new HeDelivery { Close = close, Messages = [] }));
        }

        private static Dictionary<uint, byte[][]> Group(IReadOnlyList<SentMessage> sent)
        {
            var box = new Dictionary<uint, List<byte[]>>();
            foreach (SentMessage m in sent)
            {
                foreach (uint r in m.Recipients)
                {
                    if (!box.TryGetValue(r, out var list))
                    {
                        box[r] = list = [];
                    }
                    list.Add(m.Bytes);
                }
            }
            return box.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        }
    }

    // The received count the deadline check last saw change, and when.
    private sealed record Heard(int Closes, int Stage, int Received, long AtMs);

    private sealed record InfoCache((int Stage, RoundPhase Phase, long DeadlineMs, int Closes) State, byte[] Bytes);
}
