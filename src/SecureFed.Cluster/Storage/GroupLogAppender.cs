namespace SecureFed.Cluster.Storage;

/// <summary>
/// Group commit for one writer of one log stream: events queued while a write is in flight go out together in the
/// next transaction, so a grain that acknowledges each envelope only once it is durable pays one commit per batch
/// instead of one per envelope (a shard of 1,000 clients spent about 8 ms of commit per envelope, one after another).
/// Sequence numbers are handed out when an event is queued, in queue order, so the stream stays dense. A batch that
/// is not <see cref="RoundLogAppendOutcome.Appended"/> fails its own waiters and every event queued after it (their
/// numbers would leave a gap): the writer is then spent and its owner must rebuild from the log.
/// Used only from one grain activation's turns, so it needs no locks; the write loop runs on that activation too.
/// </summary>
internal sealed class GroupLogAppender(Func<IReadOnlyList<RoundLogEvent>, Task<RoundLogAppendOutcome>> write, int stream, long nextSequence)
{
    // A transaction's size stays bounded whatever the backlog (R2 envelopes are tens of KB each).
    internal const int MaxBatchEvents = 256;
    internal const long MaxBatchBytes = 16L << 20;

    private readonly Queue<Pending> _queue = new();
    private bool _writing;
    private Exception? _spent;

    /// <summary>The sequence number the next queued event gets.</summary>
    public long NextSequence { get; private set; } = nextSequence;

    /// <summary>How many transactions the appender has written (diagnostics and tests).</summary>
    public int Batches { get; private set; }

    /// <summary>
    /// Queues one event and completes when its batch was written: <see cref="RoundLogAppendOutcome.Appended"/> means
    /// durable. Throws what the store threw (for this batch or an earlier failed one); any other outcome is returned.
    /// </summary>
    public Task<RoundLogAppendOutcome> AppendAsync(short kind, ReadOnlyMemory<byte> payload) => Enqueue(kind, payload, alone: null);

    /// <summary>
    /// Queues one event that <paramref name="write"/> commits by itself, given its sequence number, in queue order with
    /// the others: for a transaction that holds more than the log (a DP round's final close with its ledger charge).
    /// </summary>
    public Task<RoundLogAppendOutcome> AppendAloneAsync(Func<long, Task<RoundLogAppendOutcome>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return Enqueue(0, ReadOnlyMemory<byte>.Empty, write);
    }

    private Task<RoundLogAppendOutcome> Enqueue(short kind, ReadOnlyMemory<byte> payload, Func<long, Task<RoundLogAppendOutcome>>? alone)
    {
        if (_spent is not null)
        {
            return Task.FromException<RoundLogAppendOutcome>(_spent);
        }
        var done = new TaskCompletionSource<RoundLogAppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Enqueue(new Pending(new RoundLogEvent(stream, NextSequence, kind, payload), done, alone));
        NextSequence++;
        if (!_writing)
        {
            _writing = true;
            _ = WriteLoopAsync();
        }
        return done.Task;
    }

    private async Task WriteLoopAsync()
    {
        // Yield once so that the turns already scheduled on the activation can queue their events into this batch.
        await Task.Yield();
        while (_queue.Count > 0)
        {
            List<Pending> batch = TakeBatch();
            RoundLogAppendOutcome outcome;
            try
            {
                outcome = batch[0].Alone is { } alone ? await alone(batch[0].Event.Sequence) : await write([.. batch.Select(p => p.Event)]);
            }
            catch (Exception e)
            {
                Spend(batch, e);
                return;
            }
            Batches++;
            if (outcome != RoundLogAppendOutcome.Appended)
            {
                foreach (Pending p in batch)
                {
                    p.Done.SetResult(outcome);
                }
                Spend([], new InvalidOperationException($"an earlier batch of this log stream was not written ({outcome})"));
                return;
            }
            foreach (Pending p in batch)
            {
                p.Done.SetResult(RoundLogAppendOutcome.Appended);
            }
        }
        _writing = false;
    }

    private List<Pending> TakeBatch()
    {
        var batch = new List<Pending>();
        long bytes = 0;
        while (_queue.Count > 0 && batch.Count < MaxBatchEvents
            && (batch.Count == 0 || (_queue.Peek().Alone is null && bytes + _queue.Peek().Event.Payload.Length <= MaxBatchBytes)))
        {
            Pending p = _queue.Dequeue();
            bytes += p.Event.Payload.Length;
            batch.Add(p);
            if (p.Alone is not null)
            {
                break; // written by itself
            }
        }
        return batch;
    }

    // Fails the batch with the store's exception and everything queued behind it; later appends fail at once.
    private void Spend(List<Pending> batch, Exception cause)
    {
        _spent = cause;
        foreach (Pending p in batch)
        {
            p.Done.SetException(cause);
        }
        while (_queue.TryDequeue(out Pending? p))
        {
            p.Done.SetException(_spent);
        }
        _writing = false;
    }

    private sealed record Pending(RoundLogEvent Event, TaskCompletionSource<RoundLogAppendOutcome> Done, Func<long, Task<RoundLogAppendOutcome>>? Alone);
}
