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
internal sealed class RoundLogQueue
{
    private readonly Dictionary<(uint Client, string Digest), Task> _pendingDigests = [];
    private List<PendingWrite> _queue = [];
    private int _inFlight;
    private bool _flushing;

    /// <summary>Writes queued or being committed, not yet applied: the next write's log position is the round's NextSeq plus this.</summary>
    public int Pending => _queue.Count + _inFlight;

    /// <summary>The pending commit of an envelope with this digest from this client, or null when there is none.</summary>
    public Task? PendingDigest(uint client, string digest) => _pendingDigests.GetValueOrDefault((client, digest));

    /// <summary>
    /// Queues <paramref name="write"/> (run inside the batch's transaction) and <paramref name="durable"/> (run under the
    /// gate once it committed, in queue order). <paramref name="startFlush"/> is true when the caller must start the
    /// flush (none runs now). <paramref name="commitAround"/>, when given, commits the batch holding this write
    /// (a DP round's ledger charge commits inside it).
    /// </summary>
    public Task Enqueue(Action<SqliteCommandFactory> write, Action? durable, (uint Client, string Digest)? digest, out bool startFlush,
        Action<Action>? commitAround = null)
    {
        var w = new PendingWrite(write, durable, digest, commitAround);
        _queue.Add(w);
        if (digest is { } d)
        {
            _pendingDigests[d] = w.Done.Task;
        }
        startFlush = !_flushing;
        _flushing = true;
        return w.Done.Task;
    }

    /// <summary>Takes the queued writes as the next batch; when none are left, ends the flush and returns an empty list.</summary>
    public List<PendingWrite> TakeBatch()
    {
        List<PendingWrite> batch = _queue;
        _queue = [];
        _inFlight = batch.Count;
        if (batch.Count == 0)
        {
            _flushing = false;
        }
        return batch;
    }

    /// <summary>The batch committed: runs each write's publication in order and completes its task.</summary>
    public void Committed(List<PendingWrite> batch)
    {
        _inFlight = 0;
        foreach (PendingWrite w in batch)
        {
            Forget(w);
            w.Durable?.Invoke();
            w.Done.TrySetResult();
        }
    }

    /// <summary>
    /// The batch did not commit: fails it and every write queued after it (the round is then rebuilt from what is
    /// durable, which holds none of them) and ends the flush.
    /// </summary>
    public void Failed(List<PendingWrite> batch, Func<Exception> error)
    {
        _inFlight = 0;
        _flushing = false;
        List<PendingWrite> rest = _queue;
        _queue = [];
        foreach (PendingWrite w in batch.Concat(rest))
        {
            Forget(w);
            w.Done.TrySetException(error());
        }
    }

    private void Forget(PendingWrite w)
    {
        if (w.Digest is { } d)
        {
            _pendingDigests.Remove(d);
        }
    }

    /// <summary>One queued write: its rows, what it publishes once durable, and the task its requester awaits.</summary>
    internal sealed class PendingWrite(Action<SqliteCommandFactory> write, Action? durable, (uint Client, string Digest)? digest, Action<Action>? commitAround)
    {
        public Action<SqliteCommandFactory> Write { get; } = write;

        public Action? Durable { get; } = durable;

        public (uint Client, string Digest)? Digest { get; } = digest;

        public Action<Action>? CommitAround { get; } = commitAround;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
