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
    // up to degree - 1 pool threads claim one index at a time in ascending order (CallerFirstLoop), so the long items
    // start at once and the tail is at most one short item (Parallel.For hands out growing chunks and starts each
    // thread in its own range), and the caller never waits for a pool thread that had not started when every item was
    // taken. The first exception is rethrown as it was thrown after the other items ran.
    public static void ForInOrder(int degree, int count, Action<int> body) => CallerFirstLoop.For(Math.Max(1, degree), count, body);

    // Index of the first false entry, or -1.
    public static int FirstFailure(ReadOnlySpan<bool> ok) => ok.IndexOf(false);
}
