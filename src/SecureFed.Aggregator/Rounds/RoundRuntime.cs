using System.Runtime.CompilerServices;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// One round in memory: the protocol state machine, the server messages of closed stages (per recipient), the
/// digests of accepted messages (for idempotent resends) and the outcome. Mutations happen under <see cref="Gate"/>;
/// polls read <see cref="ClosedThrough"/>, the outbox and the outcome without it (each is published atomically).
/// </summary>
internal sealed class RoundRuntime
{
    private readonly Dictionary<uint, HashSet<string>> _digests = [];
    private readonly ConditionalWeakTable<ServerMessage, byte[]> _encoded = [];
    private readonly Dictionary<uint, ServerMessage>?[] _outbox = new Dictionary<uint, ServerMessage>?[5];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _closedThrough = -1;
    private volatile RoundAbortNotice? _abortNotice;

    public RoundRuntime(byte[] roundId, string federation, RoundParameters parameters, long[] deadlinesMs, int minClients)
    {
        RoundId = roundId;
        Id = RoundIds.Format(roundId);
        Federation = federation;
        Parameters = parameters;
        DeadlinesMs = deadlinesMs;
        MinClients = minClients;
        ClientIdsByKey = parameters.Identities.ToDictionary(kv => kv.Value.ToString(), kv => kv.Key, StringComparer.Ordinal);
        MaxEnvelopeBytes = Enum.GetValues<ProtocolStage>().Max(s => ServerLimits.MaxEnvelopeBytes(parameters, s));
    }

    public byte[] RoundId { get; }

    public string Id { get; }

    public string Federation { get; }

    public RoundParameters Parameters { get; }

    public long[] DeadlinesMs { get; }

    public int MinClients { get; }

    /// <summary>True when the round was opened with transcripts enabled: every accepted and sent message is stored.</summary>
    public bool Transcript { get; init; }

    /// <summary>Roster client id per identity key (hex).</summary>
    public IReadOnlyDictionary<string, uint> ClientIdsByKey { get; }

    /// <summary>The largest body any stage accepts: the transport's read limit (the state machine enforces the stage's own).</summary>
    public long MaxEnvelopeBytes { get; }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The protocol state while running; null once the round is over.</summary>
    public ServerState? State { get; private set; }

    public string Status { get; private set; } = Storage.RoundStore.Running;

    public long StageOpenedAtMs { get; set; }

    /// <summary>After a restart, stages stay open at least until then so clients can reconnect.</summary>
    public long GraceUntilMs { get; set; }

    public int ClosedThrough => _closedThrough;

    public RoundAbortNotice? AbortNotice => _abortNotice;

    public ulong[][]? Sums { get; private set; }

    public uint[]? Survivors { get; private set; }

    public uint[]? Dropped { get; private set; }

    /// <summary>Completes when the round changes stage or ends; take it before checking, then wait.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public long StageDeadlineMs => State?.Stage is ProtocolStage s ? Math.Max(StageOpenedAtMs + DeadlinesMs[(int)s], GraceUntilMs) : 0;

    public void Start(ServerState state)
    {
        State = state;
        Status = Storage.RoundStore.Running;
        _closedThrough = -1;
        _digests.Clear();
        Array.Clear(_outbox);
    }

    public bool HasDigest(uint client, string digest) => _digests.TryGetValue(client, out var set) && set.Contains(digest);

    public void AddDigest(uint client, string digest)
    {
        if (!_digests.TryGetValue(client, out var set))
        {
            _digests[client] = set = [];
        }
        set.Add(digest);
    }

    /// <summary>Publishes what closing <paramref name="stage"/> produced and moves to the next state.</summary>
    public void ApplyClose(int stage, ServerTransition t)
    {
        var box = new Dictionary<uint, ServerMessage>();
        foreach (OutgoingMessage o in t.Outgoing)
        {
            foreach (uint r in o.Recipients)
            {
                box[r] = o.Message;
            }
        }
        _outbox[stage] = box;
        // A client that has not fetched stage s-1's message by now missed stage s: nobody needs it any more.
        if (stage > 0)
        {
            _outbox[stage - 1] = null;
        }
        State = t.Next;
        switch (t.Next)
        {
            case ServerCompletedState done:
                FinishCompleted([.. done.Result.Sums], [.. done.Result.Survivors], [.. done.Result.Dropped]);
                break;
            case ServerAbortedState aborted:
                FinishAborted(new RoundAbortNotice { Reason = aborted.Reason, Detail = aborted.Detail });
                break;
        }
        _closedThrough = stage;
        SignalChange();
    }

    public void FinishCompleted(ulong[][] sums, uint[] survivors, uint[] dropped)
    {
        Sums = sums;
        Survivors = survivors;
        Dropped = dropped;
        Status = Storage.RoundStore.Completed;
        State = null;
        Array.Clear(_outbox);
        SignalChange();
    }

    public void FinishAborted(RoundAbortNotice notice)
    {
        _abortNotice = notice;
        Status = Storage.RoundStore.Aborted;
        State = null;
        Array.Clear(_outbox);
        SignalChange();
    }

    /// <summary>The message for <paramref name="client"/> from <paramref name="stage"/>'s close, if published.</summary>
    public PollOutcome Lookup(uint client, int stage)
    {
        if (_abortNotice is { } notice)
        {
            return PollOutcome.Message(Encode(notice));
        }
        if (Status == Storage.RoundStore.Completed)
        {
            return PollOutcome.Gone("round-completed", "the round is completed; no further server messages");
        }
        if (stage > _closedThrough)
        {
            return PollOutcome.NotReady;
        }
        Dictionary<uint, ServerMessage>? box = Volatile.Read(ref _outbox[stage]);
        if (box is null)
        {
            return PollOutcome.Gone("stage-over", $"stage {stage}'s messages are no longer served: the next stage has closed");
        }
        return box.TryGetValue(client, out ServerMessage? m)
            ? PollOutcome.Message(Encode(m))
            : PollOutcome.Gone("not-a-recipient", $"client {client} gets no message from stage {stage} (it missed a stage and was dropped)");
    }

    private byte[] Encode(ServerMessage m) => _encoded.GetValue(m, MessageCodec.EncodeServerMessage);

    private void SignalChange()
    {
        TaskCompletionSource old = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }
}
