using SecureFed.Aggregator.Storage;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// Group commit for one round's log. Envelopes are checked and handled under the round's gate as before, but their
/// log rows (and stage closes) queue here and are committed many to a transaction by one flush at a time, outside the
/// gate: the fsync that synchronous=FULL pays per commit is shared by every envelope that arrived meanwhile instead of
/// being paid once per envelope with the gate held (1,000 clients x 5 stages was 5,000 fsyncs in a row). Nothing
/// changes for the client: a write's task completes only after its transaction is durable, so a 2xx still means
/// durable, and what a write publishes (a close's messages, an accepted digest) runs only then, in log order.
/// Every member is called under the round's gate.
/// </summary>
/// <remarks>
/// Log positions: the queue hands out the seq of every <c>round_log</c> row it queues (<see cref="Append"/>) as the
/// durable log's next seq (the round's <see cref="RoundRuntime.NextSeq"/>, which a replay rebuilds from the log) plus
/// the rows queued or being committed before it. The invariant this rests on: each appended row's publication advances
/// <see cref="RoundRuntime.NextSeq"/> by exactly one (an accepted envelope, a close), and nothing else queued takes a
/// position (<see cref="Enqueue"/> writes no log row; <see cref="Settled"/> queues nothing). A failed commit drops every
/// pending write, so no position stays taken by a row that is not on disk.
/// </remarks>
internal sealed class RoundLogQueue
{
    private readonly Dictionary<(uint Client, string Digest), Task> _pendingDigests = [];
    private List<PendingWrite> _queue = [];
    private List<PendingWrite> _inFlight = [];
    private int _pendingRows;
    private bool _flushing;

    /// <summary>Writes queued or being committed, not yet published.</summary>
    public int Pending => _queue.Count + _inFlight.Count;

    /// <summary>Log rows queued or being committed, not yet published: the next row's seq is the log's next seq plus this.</summary>
    public int PendingRows => _pendingRows;

    /// <summary>
    /// Completes once every write pending now is durable and published (faults as the first of them that failed);
    /// completed when nothing is pending. It takes no log position and commits nothing of its own.
    /// </summary>
    public Task Settled => Pending == 0 ? Task.CompletedTask : (_queue.Count > 0 ? _queue[^1] : _inFlight[^1]).Done.Task;

    /// <summary>The pending commit of an envelope with this digest from this client, or null when there is none.</summary>
    public Task? PendingDigest(uint client, string digest) => _pendingDigests.GetValueOrDefault((client, digest));

    /// <summary>
    /// Queues one <c>round_log</c> row at the next free position: <paramref name="rows"/> is given that seq (the durable
    /// log's <paramref name="logNextSeq"/> plus <see cref="PendingRows"/>) and returns the write run inside the batch's
    /// transaction. <paramref name="durable"/> runs under the gate once it committed, in queue order, and must advance
    /// the round's log position by one. <paramref name="startFlush"/> is true when the caller must start the flush (none
    /// runs now). <paramref name="commitAround"/>, when given, commits the batch holding this write (a DP round's ledger
    /// charge commits inside it).
    /// </summary>
    public Task Append(long logNextSeq, Func<long, Action<SqliteCommandFactory>> rows, Action durable, (uint Client, string Digest)? digest,
        out bool startFlush, Action<Action>? commitAround = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Task done = Add(new PendingWrite(rows(logNextSeq + _pendingRows), durable, digest, commitAround, AppendsRow: true), out startFlush);
        _pendingRows++;
        return done;
    }

    /// <summary>
    /// Queues a write that adds no <c>round_log</c> row (an operator abort's outcome): it takes no log position.
    /// <paramref name="durable"/> runs under the gate once it committed, in queue order.
    /// </summary>
    public Task Enqueue(Action<SqliteCommandFactory> write, Action durable, out bool startFlush) =>
        Add(new PendingWrite(write, durable, null, null, AppendsRow: false), out startFlush);

    /// <summary>Takes the queued writes as the next batch; when none are left, ends the flush and returns an empty list.</summary>
    public List<PendingWrite> TakeBatch()
    {
        List<PendingWrite> batch = _queue;
        _queue = [];
        _inFlight = batch;
        if (batch.Count == 0)
        {
            _flushing = false;
        }
        return batch;
    }

    /// <summary>The batch committed: runs each write's publication in order and completes its task.</summary>
    public void Committed(List<PendingWrite> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _inFlight = [];
        foreach (PendingWrite w in batch)
        {
            Forget(w);
            if (w.AppendsRow)
            {
                _pendingRows--; // its publication takes the position in the round's NextSeq instead
            }
            w.Durable.Invoke();
            w.Done.TrySetResult();
        }
    }

    /// <summary>
    /// The batch did not commit: fails it and every write queued after it (the round is then rebuilt from what is
    /// durable, which holds none of them), gives back every log position they took, and ends the flush.
    /// </summary>
    public void Failed(List<PendingWrite> batch, Func<Exception> error)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(error);
        List<PendingWrite> rest = _queue;
        _queue = [];
        _inFlight = [];
        _pendingRows = 0;
        _flushing = false;
        foreach (PendingWrite w in batch.Concat(rest))
        {
            Forget(w);
            w.Done.TrySetException(error());
        }
    }

    private Task Add(PendingWrite w, out bool startFlush)
    {
        _queue.Add(w);
        if (w.Digest is { } d)
        {
            _pendingDigests[d] = w.Done.Task;
        }
        startFlush = !_flushing;
        _flushing = true;
        return w.Done.Task;
    }

    private void Forget(PendingWrite w)
    {
        if (w.Digest is { } d)
        {
            _pendingDigests.Remove(d);
        }
    }

    /// <summary>One queued write: its rows, what it publishes once durable, and the task its requester awaits.</summary>
    internal sealed record PendingWrite(Action<SqliteCommandFactory> Write, Action Durable, (uint Client, string Digest)? Digest,
        Action<Action>? CommitAround, bool AppendsRow)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
