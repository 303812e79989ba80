using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;

namespace SecureFed.Aggregator.HeRounds;

/// <summary>
/// One HE round in memory: the server state machine (running ciphertext sum + openings; the uploads themselves live
/// only in the database log), the messages of the latest stage close per recipient, the digests of accepted
/// envelopes (idempotent resends) and the outcome. Mutations happen under <see cref="Gate"/>; polls read the
/// published close and outcome without it.
/// </summary>
internal sealed class HeRoundRuntime
{
    private readonly HashSet<(uint Client, string Digest)> _digests = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile HeCloseOutbox? _latest;
    private volatile HeCloseOutbox? _final;

    public HeRoundRuntime(byte[] roundId, string federation, HeRoundParameters parameters, long[] deadlinesMs)
    {
        RoundId = roundId;
        Id = RoundIds.Format(roundId);
        Federation = federation;
        Parameters = parameters;
        DeadlinesMs = deadlinesMs;
        ClientIdsByKey = parameters.Identities.ToDictionary(kv => kv.Value.ToString(), kv => kv.Key, StringComparer.Ordinal);
        MaxEnvelopeBytes = Enum.GetValues<HeStage>().Max(s => HeServer.MaxEnvelopeBytes(parameters, s));
    }

    public byte[] RoundId { get; }

    public string Id { get; }

    public string Federation { get; }

    public HeRoundParameters Parameters { get; }

    /// <summary>Deadline of H0..H3 in milliseconds after the stage opened (each H3 attempt gets the H3 deadline).</summary>
    public long[] DeadlinesMs { get; }

    /// <summary>True when the round keeps every message for its transcript.</summary>
    public bool Transcript { get; init; }

    /// <summary>Roster client id per identity key (hex).</summary>
    public IReadOnlyDictionary<string, uint> ClientIdsByKey { get; }

    /// <summary>The largest envelope any stage accepts: the transport's read limit (the state machine enforces the stage's own).</summary>
    public long MaxEnvelopeBytes { get; }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The server state while running; null once the round is over.</summary>
    public HeServerState? State { get; private set; }

    public string Status { get; private set; } = Storage.RoundStore.Running;

    public long StageOpenedAtMs { get; set; }

    /// <summary>After a restart, stages stay open at least until then so parties can reconnect.</summary>
    public long GraceUntilMs { get; set; }

    /// <summary>Stage closes so far; the log's next sequence number is <see cref="NextSeq"/>.</summary>
    public int Closes { get; private set; }

    public long NextSeq { get; private set; }

    public HeRoundResult? Result { get; private set; }

    public int? Attempts { get; private set; }

    public HeAbortNotice? AbortNotice { get; private set; }

    /// <summary>Completes when the round changes stage or ends; take it before checking, then wait.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public long StageDeadlineMs => State?.Stage is HeStage s ? Math.Max(StageOpenedAtMs + DeadlinesMs[(int)s], GraceUntilMs) : 0;

    /// <summary>Resets to a fresh server (a new round, or the start of a replay).</summary>
    public void Start(HeServerState state)
    {
        State = state;
        Status = Storage.RoundStore.Running;
        Closes = 0;
        NextSeq = 0;
        _digests.Clear();
        _latest = null;
        _final = null;
    }

    /// <summary>Replay: counts a logged close whose messages are no longer served.</summary>
    public void CountClose()
    {
        Closes++;
        NextSeq++;
    }

    /// <summary>Replay: continues from a state rebuilt by HeServer.Replay.</summary>
    public void Resume(HeServerState state) => State = state;

    public bool HasDigest(uint client, string digest) => _digests.Contains((client, digest));

    /// <summary>Records an accepted envelope (its log row is <see cref="NextSeq"/>, now taken).</summary>
    public void Accepted(uint client, string digest)
    {
        _digests.Add((client, digest));
        NextSeq++;
    }

    /// <summary>Publishes what a close produced and moves to the next state (the close's log row is <see cref="NextSeq"/>).</summary>
    public void ApplyClose(HeServerTransition t)
    {
        var box = new Dictionary<uint, List<byte[]>>();
        foreach (HeOutgoingMessage o in t.Outgoing)
        {
            byte[] bytes = MessageCodec.Encode(o.Message);
            foreach (uint r in o.Recipients)
            {
                if (!box.TryGetValue(r, out var list))
                {
                    box[r] = list = [];
                }
                list.Add(bytes);
            }
        }
        var outbox = new HeCloseOutbox(Closes, box.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), null);
        Closes++;
        NextSeq++;
        State = t.Next;
        _latest = outbox;
        switch (t.Next)
        {
            case HeServerCompletedState done:
                FinishCompleted(done.Result, done.Attempts);
                break;
            case HeServerAbortedState aborted:
                FinishAborted(new HeAbortNotice { Reason = aborted.Reason, Detail = aborted.Detail });
                break;
        }
        SignalChange();
    }

    public void FinishCompleted(HeRoundResult result, int attempts)
    {
        Result = result;
        Attempts = attempts;
        Status = Storage.RoundStore.Completed;
        State = null;
        _final = new HeCloseOutbox(Math.Max(Closes - 1, 0), null, MessageCodec.Encode<HeServerMessage>(result));
        SignalChange();
    }

    public void FinishAborted(HeAbortNotice notice)
    {
        AbortNotice = notice;
        Status = Storage.RoundStore.Aborted;
        State = null;
        _final = new HeCloseOutbox(Math.Max(Closes - 1, 0), null, MessageCodec.Encode<HeServerMessage>(notice));
        SignalChange();
    }

    /// <summary>
    /// The messages for <paramref name="client"/> from the first close at or after <paramref name="close"/> that the
    /// service still serves (only the latest close is kept; once the round is over, its result or abort notice), or
    /// null when that close has not happened yet.
    /// </summary>
    public HeDelivery? Lookup(uint client, int close)
    {
        if (_final is { } final)
        {
            return new HeDelivery { Close = Math.Max(final.Close, close), Messages = [final.Terminal!] };
        }
        HeCloseOutbox? latest = _latest;
        if (latest is null || close > latest.Close)
        {
            return null;
        }
        return new HeDelivery { Close = latest.Close, Messages = latest.ByRecipient!.TryGetValue(client, out byte[][]? m) ? m : [] };
    }

    private void SignalChange()
    {
        TaskCompletionSource old = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }

    // One close's encoded messages per recipient, or (terminal) the one message every roster member gets.
    private sealed record HeCloseOutbox(int Close, Dictionary<uint, byte[][]>? ByRecipient, byte[]? Terminal);
}
