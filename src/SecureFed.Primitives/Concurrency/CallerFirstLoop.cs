using System.Runtime.ExceptionServices;

namespace SecureFed.Primitives.Concurrency;

/// <summary>
/// Runs independent items on the calling thread, with up to <c>degree - 1</c> helper threads joining while items
/// remain. Parallel.For waits, at its end, for every helper it queued to have run, even one that has not started; on a
/// small shared VM a woken pool thread can take longer to be scheduled than the whole loop (a SecAgg+ client's 36 key
/// agreements are about half a millisecond), so the caller finished the items alone and then waited for a thread that
/// had nothing left to do. Here the caller waits only for items a helper has claimed and not yet finished; a helper
/// that starts after the last item was claimed returns without touching the body. The helpers are
/// <see cref="LoopHelperThreads"/>, not the thread pool's, whose wake-up came late in a back-to-back loop.
/// </summary>
public static class CallerFirstLoop
{
    /// <summary>
    /// Calls <paramref name="body"/> once for each i in [0, <paramref name="count"/>), on this thread and up to
    /// <paramref name="degree"/> - 1 helper threads, and returns when every call has returned. The first exception a call
    /// throws is rethrown here (after the others finished); items not yet claimed then still run.
    /// </summary>
    public static void For(int degree, int count, Action<int> body) => For(LoopHelperThreads.Shared, degree, count, body);

    // The same with the given helper threads (tests use their own).
    internal static void For(LoopHelperThreads helpers, int degree, int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (degree == 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }
            return;
        }
        var job = new Job(count, body);
        Action<LoopHelperThreads> offer = job.Run;
        helpers.Post(offer, Math.Min(degree, count) - 1);
        job.Run(null);
        // Every item is claimed: an offer still queued would only start a thread or wake one for nothing.
        helpers.Withdraw(offer);
        job.WaitForAll();
    }

    private sealed class Job(int count, Action<int> body)
    {
        private readonly object _gate = new(); // Monitor.Wait and PulseAll need a monitor, not a Lock
        private int _claimed = -1;
        private int _finished;
        private ExceptionDispatchInfo? _failure;

        // Let go once every item has run: a helper may still hold this job (it took the offer after the caller had run
        // every item), and the body must not keep what it captured (a client's state) alive until then.
        private Action<int>? _body = body;

        // Claims and runs items until none is left; a late helper claims none and returns. A helper thread (`helpers`
        // not null) counts as busy only while it holds an item: it is marked busy when it claims its first one, and
        // idle when it finds no next one, before its last item counts as finished. So a caller that sees the loop done
        // and posts its next loop finds this helper idle, not busy (which would start a thread it never needs).
        public void Run(LoopHelperThreads? helpers)
        {
            int i = Interlocked.Increment(ref _claimed);
            if (i < count)
            {
                helpers?.MarkBusy();
            }
            while (i < count)
            {
                try
                {
                    _body!(i); // not yet null: item i has not finished
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }
                int next = Interlocked.Increment(ref _claimed);
                if (next >= count)
                {
                    helpers?.MarkIdle();
                }
                if (Interlocked.Increment(ref _finished) == count)
                {
                    _body = null;
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
                i = next;
            }
        }

        // The caller, after its own Run: items a helper still holds take at most one item's time, so spin first.
        public void WaitForAll()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _finished) < count && !spin.NextSpinWillYield)
            {
                spin.SpinOnce();
            }
            if (Volatile.Read(ref _finished) < count)
            {
                lock (_gate)
                {
                    while (Volatile.Read(ref _finished) < count)
                    {
                        Monitor.Wait(_gate);
                    }
                }
            }
            _failure?.Throw();
        }
    }
}
