namespace SecureFed.Protocol.Concurrency;

// Runs independent per-peer work (signature checks, key agreements) on up to `degree` threads. Bodies must not
// throw for expected failures: they record an outcome per index, and the caller reports the lowest failing index,
// so the error a client or server raises does not depend on thread timing.
internal static class BoundedParallel
{
    // Below this many items the thread hand-off costs more than it saves (one X25519 is about 33 us here).
    private const int MinimumItemsPerThread = 8;

    public static void For(int degree, int count, Action<int> body) => For(degree, count, MinimumItemsPerThread, body);

    // The same for cheaper items: runs on one thread unless each of two threads gets at least `minimumPerThread` of
    // them (a HMAC is about a microsecond, so a few dozen of them are less than waking a worker on a small VM).
    public static void For(int degree, int count, int minimumPerThread, Action<int> body)
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

    // Index of the first false entry, or -1.
    public static int FirstFailure(ReadOnlySpan<bool> ok) => ok.IndexOf(false);
}
