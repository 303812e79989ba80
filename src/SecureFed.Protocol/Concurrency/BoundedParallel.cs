using SecureFed.Primitives.Concurrency;

namespace SecureFed.Protocol.Concurrency;

// Runs independent per-peer work (signature checks, key agreements) on up to `degree` threads. Bodies must not
// throw for expected failures: they record an outcome per index, and the caller reports the lowest failing index,
// so the error a client or server raises does not depend on thread timing.
internal static class BoundedParallel
{
    // Below this many items the thread hand-off costs more than it saves (one X25519 is about 33 us here).
    private const int MinimumItemsPerThread = 8;

    // Items of about a microsecond (an AEAD seal of a share bundle, an HMAC tag): a few dozen of them cost less than
    // waking a worker on a small VM, so they stay on one thread below this many per thread.
    private const int MinimumCheapItemsPerThread = 64;

    public static void For(int degree, int count, Action<int> body) => For(degree, count, MinimumItemsPerThread, body);

    // The same for items of about a microsecond: one thread unless each of two gets MinimumCheapItemsPerThread.
    public static void ForCheap(int degree, int count, Action<int> body) => For(degree, count, MinimumCheapItemsPerThread, body);

    // The same rule as For, but the caller waits only for items a pool thread has started, never for a pool thread
    // that has not yet been scheduled (CallerFirstLoop): for a client's per-peer loop right before its masking walk.
    public static void ForCallerFirst(int degree, int count, Action<int> body)
    {
        if (degree <= 1 || count < 2 * MinimumItemsPerThread)
        {
            For(1, count, MinimumItemsPerThread, body);
            return;
        }
        CallerFirstLoop.For(degree, count, body);
    }

    private static void For(int degree, int count, int minimumPerThread, Action<int> body)
    {
        if (degree <= 1 || count < 2 * minimumPerThread)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = degree }, body);
    }

    // Items of unequal cost, the longest first (a client's roster-sized steps beside its per-peer checks): the caller and
    // up to degree - 1 pool threads take one index at a time in ascending order, so the long items start at once and
    // the tail is at most one short item (Parallel.For hands out growing chunks and starts each thread in its own
    // range). The caller never waits for a pool thread that had not started when every item was taken: on a loaded
    // machine its wake-up can take longer than the whole loop. A body that throws stops the hand-out; the first
    // exception is rethrown as it was thrown after every started thread has finished.
    public static void ForInOrder(int degree, int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (degree <= 1 || count < 2)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }
            return;
        }
        new OrderedLoop(count, body, Math.Min(degree, count) - 1).Run();
    }

    // Index of the first false entry, or -1.
    public static int FirstFailure(ReadOnlySpan<bool> ok) => ok.IndexOf(false);

    private sealed class OrderedLoop(int count, Action<int> body, int helpers)
    {
        private const int Queued = 0, Running = 1, Cancelled = -1;
        private readonly int[] _helperState = new int[helpers]; // its length is the number of pool threads asked for
        private readonly object _gate = new();
        private int _next = -1;
        private int _unfinished = helpers; // helpers neither finished nor cancelled
        private Exception? _error;

        public void Run()
        {
            for (int h = 0; h < _helperState.Length; h++)
            {
                int helper = h;
                ThreadPool.UnsafeQueueUserWorkItem(_ => Help(helper), null);
            }
            Drain();
            for (int h = 0; h < _helperState.Length; h++)
            {
                if (Interlocked.CompareExchange(ref _helperState[h], Cancelled, Queued) == Queued)
                {
                    Finished(); // never started: it will find itself cancelled and return
                }
            }
            lock (_gate)
            {
                while (_unfinished > 0)
                {
                    Monitor.Wait(_gate);
                }
            }
            if (_error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_error).Throw();
            }
        }

        private void Help(int helper)
        {
            if (Interlocked.CompareExchange(ref _helperState[helper], Running, Queued) != Queued)
            {
                return;
            }
            try
            {
                Drain();
            }
            finally
            {
                Finished();
            }
        }

        private void Drain()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < count)
            {
                try
                {
                    body(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                    Volatile.Write(ref _next, count); // hand out no more
                }
            }
        }

        private void Finished()
        {
            lock (_gate)
            {
                if (--_unfinished == 0)
                {
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
