using System.Runtime.CompilerServices;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Storage;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// Makes the running rounds' log writes durable: each round's group commit (<see cref="RoundLogQueue"/>), its one
/// flush at a time, and the rebuild of a round from its log after a failed commit. The coordinator decides what to
/// write; this commits it and publishes it, or fails it and puts the round back to what is durable.
/// </summary>
internal sealed class RoundLogWriter(RoundStore store, TimeProvider time, ILogger log)
{
    private readonly ConditionalWeakTable<RoundRuntime, RoundLogQueue> _logs = [];

    /// <summary>The round's group commit queue (one per runtime).</summary>
    public RoundLogQueue LogOf(RoundRuntime rt) => _logs.GetValue(rt, _ => new RoundLogQueue());

    /// <summary>
    /// Under the gate. After a failed commit the round is rebuilt from what is durable before anything else touches it:
    /// the in-memory round may then be behind the disk for a moment, never ahead of it.
    /// </summary>
    /// <exception cref="AggregatorProblemException">503 storage-unavailable while the log cannot be read (deadlines wait).</exception>
    public void EnsureReplayed(RoundRuntime rt)
    {
        if (!rt.NeedsReplay)
        {
            return;
        }
        try
        {
            RoundReplayer.Replay(rt, store, time.GetUtcNow().ToUnixTimeMilliseconds(), 0);
            rt.NeedsReplay = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.StorageFailure(e, rt.Id);
            throw new AggregatorProblemException(ProblemCode.StorageUnavailable, "the round's log could not be read; retry");
        }
    }

    /// <summary>Starts the round's flush when <paramref name="start"/> (the queue said none runs); called outside the gate.</summary>
    public void StartFlush(RoundRuntime rt, bool start)
    {
        if (start)
        {
            RoundLogQueue queue = LogOf(rt);
            _ = Task.Run(() => FlushAsync(rt, queue));
        }
    }

    // The round's one flush: commits whatever queued meanwhile in one transaction, publishes it under the gate, and
    // repeats until the queue is empty. A failed commit fails every pending write (their requesters get 503
    // storage-unavailable and resend) and rebuilds the round from what is durable, as a failed single write did.
    private async Task FlushAsync(RoundRuntime rt, RoundLogQueue queue)
    {
        while (true)
        {
            List<RoundLogQueue.PendingWrite> batch;
            await rt.Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                batch = queue.TakeBatch();
            }
            finally
            {
                rt.Gate.Release();
            }
            if (batch.Count == 0)
            {
                return;
            }
            Exception? failure = null;
            try
            {
                Commit(batch);
            }
            catch (Exception e)
            {
                failure = e;
            }
            await rt.Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (failure is null)
                {
                    queue.Committed(batch);
                    continue;
                }
                log.StorageFailure(failure, rt.Id);
                queue.Failed(batch, () => new AggregatorProblemException(ProblemCode.StorageUnavailable, "the message could not be stored; retry"));
                rt.NeedsReplay = true;
                try
                {
                    EnsureReplayed(rt);
                }
                catch (AggregatorProblemException)
                {
                    // Still unreadable: the round's next request or deadline check tries again.
                }
                return;
            }
            finally
            {
                rt.Gate.Release();
            }
        }
    }

    // One transaction for the batch, wrapped by every write that commits around it (a DP round's ledger charge).
    private void Commit(List<RoundLogQueue.PendingWrite> batch)
    {
        var writes = batch.ConvertAll(w => w.Write);
        Action commit = () => store.Commit(writes);
        foreach (RoundLogQueue.PendingWrite w in batch)
        {
            if (w.CommitAround is { } around)
            {
                Action inner = commit;
                commit = () => around(inner);
            }
        }
        commit();
    }
}
