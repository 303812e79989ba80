using SecureFed.Primitives.Concurrency;

namespace SecureFed.Protocol.Concurrency;

// Runs independent per-peer work (signature checks, key agreements, seals, tags) on up to `degree` threads. Bodies
// must not throw for expected failures: they record an outcome per index, and the caller reports the lowest failing
// index, so the error a client or server raises does not depend on thread timing.
internal static class BoundedParallel
{
    // Below this many items per thread the hand-off costs more than it saves (one X25519 is about 33 us here).
    private const int MinimumItemsPerThread = 8;

    // The server's loops (reconstruction, mask removal): Parallel.For on the pool, which the server's cores serve.
    public static void For(int degree, int count, Action<int> body)
    {
        if (degree <= 1 || count < 2 * MinimumItemsPerThread)
        {
            RunInline(count, body);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = degree }, body);
    }

    // A client's per-peer loops: the caller takes items at once and waits only for items a helper thread has started,
    // never for one that has not yet been scheduled (CallerFirstLoop). So items of a microsecond (an AEAD seal, an
    // HMAC tag) lose nothing when no helper is free, and a client's back-to-back loops meet a helper still spinning.
    public static void ForCallerFirst(int degree, int count, Action<int> body)
    {
        if (degree <= 1 || count < 2 * MinimumItemsPerThread)
        {
            RunInline(count, body);
            return;
        }
        CallerFirstLoop.For(degree, count, body);
    }

    // Items of unequal cost, the longest first (a client's roster-sized steps beside its per-peer checks): the caller and
    // up to degree - 1 helper threads claim one index at a time in ascending order (CallerFirstLoop), so the long items
    // start at once and the tail is at most one short item (Parallel.For hands out growing chunks and starts each
    // thread in its own range), and the caller never waits for a helper that had not started when every item was
    // taken. The first exception is rethrown as it was thrown after the other items ran.
    public static void ForInOrder(int degree, int count, Action<int> body) => CallerFirstLoop.For(Math.Max(1, degree), count, body);

    // Index of the first false entry, or -1.
    public static int FirstFailure(ReadOnlySpan<bool> ok) => ok.IndexOf(false);

    private static void RunInline(int count, Action<int> body)
    {
        for (int i = 0; i < count; i++)
        {
            body(i);
        }
    }
}
