using SecureFed.Protocol.Hosting;
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
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CloseOutbox? _latest;
    private volatile RoundEnd? _end;

    public RoundRuntime(byte[] roundId, string federation, IRoundProtocol protocol, IRoundServer server, long[] deadlinesMs, int minClients)
    {
        RoundId = roundId;
        Id = RoundIds.Format(roundId);
        Federation = federation;
        _protocol = protocol;
        Server = server;
        DeadlinesMs = deadlinesMs;
        MinClients = minClients;
        ClientIdsByKey = server.Identities.ToDictionary(kv => kv.Value.ToString(), kv => kv.Key, StringComparer.Ordinal);
    }

    public byte[] RoundId { get; }

    public string Id { get; }

    public string Federation { get; }

    /// <summary>Deadline of each stage in milliseconds after it opened (indexed by <see cref="RoundProgress.Stage"/>).</summary>
    public long[] DeadlinesMs { get; }

    public int MinClients { get; }

    /// <summary>True when the round keeps every message for its transcript.</summary>
    public bool Transcript { get; init; }

    /// <summary>A float or DP round's encoding (RoundInfo keys 7 and 8); null for an integer round.</summary>
    public Protocols.RoundEncoding? Encoding { get; init; }

    /// <summary>Roster client id per identity key (hex).</summary>
    public IReadOnlyDictionary<string, uint> ClientIdsByKey { get; }

    public SemaphoreSlim Gate { get; } = new(1, 1);

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

    /// <summary>The log's next sequence number.</summary>
    public long NextSeq { get; private set; }

    /// <summary>Completes when the round changes stage or ends; take it before checking, then wait.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public long StageDeadlineMs => _end is null && Server.Progress is { } p ? Math.Max(StageOpenedAtMs + DeadlinesMs[p.Stage], GraceUntilMs) : 0;

    /// <summary>Starts over with a fresh server from the round's configuration (the start of a replay).</summary>
    public void Restart()
    {
        Server = _protocol.Start(Server.Configuration, MinClients);
        Closes = 0;
        NextSeq = 0;
        _digests.Clear();
        _latest = null;
        _end = null;
    }

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
        var box = new Dictionary<uint, List<byte[]>>();
        foreach (SentMessage m in close.Sent)
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
        _latest = new CloseOutbox(Closes, box.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
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
    /// A per-close poll (<see cref="ServerDelivery.LatestClose"/>): the caller's messages from the latest close if it is
    /// at or after <paramref name="close"/>, or once the round ended its final message; null while that close is ahead.
    /// </summary>
    public HeDelivery? LookupClose(uint client, int close)
    {
        if (_end is { } end)
        {
            return new HeDelivery { Close = Math.Max(Math.Max(Closes - 1, 0), close), Messages = end.FinalMessage is { } final ? [final] : [] };
        }
        CloseOutbox? latest = _latest;
        if (latest is null || close > latest.Close)
        {
            return null;
        }
        return new HeDelivery { Close = latest.Close, Messages = latest.ByRecipient.TryGetValue(client, out byte[][]? m) ? m : [] };
    }

    private void SignalChange()
    {
        TaskCompletionSource old = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }

    // One close's encoded messages per recipient.
    private sealed record CloseOutbox(int Close, Dictionary<uint, byte[][]> ByRecipient);
}
