using System.Diagnostics;

namespace SecureFed.Primitives.Concurrency;

/// <summary>
/// The threads that join <see cref="CallerFirstLoop"/> jobs: background threads, started on first demand, that after
/// their last job spin for <see cref="SpinAfterWork"/> watching for the next one and then block until work is posted.
/// Why not the thread pool: a client runs a few sub-millisecond loops back to back (its agreements, then its masking
/// walk 0.2 ms later), and on the 2-core VM we measure on, a pool thread asked for in that window joined only about
/// half of the loops, a median 0.35 to 0.48 ms late (our reading: the pool's semaphore has a spinning phase in which a
/// release wakes nobody), which made a SecAgg+ client's R2 stage about 1.3x slower at n = 10,000 (README, issue 18).
/// A helper here is either spinning, and takes the job within microseconds, or blocked on a monitor, and is woken by
/// the post.
/// </summary>
internal static class LoopHelperThreads
{
    // Long enough to span the gaps between one client's loops (tens to a few hundred microseconds of serial work);
    // short enough that an idle process stops burning a core at once. Tuned on the 2-core VM (README, issue 18).
    private static readonly long SpinAfterWork = Stopwatch.Frequency / 2000; // 0.5 ms

    // More than a few threads per core only adds switching; callers asking for more run more items themselves.
    private static readonly int MaximumThreads = Math.Max(4, 4 * Environment.ProcessorCount);

    private static readonly object Gate = new(); // Monitor.Wait and Pulse need a monitor, not a Lock
    private static readonly Queue<Action> Pending = new();
    private static int _pendingCount; // Pending.Count, readable without the gate by spinning threads
    private static int _threads;
    private static int _blocked;

    /// <summary>
    /// Offers <paramref name="run"/> to <paramref name="helpers"/> threads (fewer if the cap is reached). Each that
    /// takes it calls it once; a call that finds nothing left to do must return at once, since it may come late.
    /// </summary>
    public static void Post(Action run, int helpers)
    {
        lock (Gate)
        {
            int wanted = Math.Min(helpers, MaximumThreads);
            for (int h = 0; h < wanted; h++)
            {
                Pending.Enqueue(run);
            }
            Volatile.Write(ref _pendingCount, Pending.Count);
            // As many threads as offers waiting, up to the cap (an offer then waits only while every thread is busy);
            // blocked ones are woken.
            while (_threads < Math.Min(MaximumThreads, Pending.Count))
            {
                _threads++;
                new Thread(Serve) { IsBackground = true, Name = "SecureFed loop helper" }.Start();
            }
            for (int woken = 0; woken < Math.Min(_blocked, wanted); woken++)
            {
                Monitor.Pulse(Gate);
            }
        }
    }

    private static void Serve()
    {
        while (true)
        {
            Action? run = Take();
            if (run is not null)
            {
                run(); // CallerFirstLoop's job captures every exception its items throw
                continue;
            }
            long until = Stopwatch.GetTimestamp() + SpinAfterWork;
            while (Volatile.Read(ref _pendingCount) == 0 && Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(20);
            }
            if (Volatile.Read(ref _pendingCount) > 0)
            {
                continue;
            }
            lock (Gate)
            {
                _blocked++;
                while (Pending.Count == 0)
                {
                    Monitor.Wait(Gate);
                }
                _blocked--;
            }
        }
    }

    private static Action? Take()
    {
        if (Volatile.Read(ref _pendingCount) == 0)
        {
            return null;
        }
        lock (Gate)
        {
            if (!Pending.TryDequeue(out Action? run))
            {
                return null;
            }
            Volatile.Write(ref _pendingCount, Pending.Count);
            return run;
        }
    }
}
