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
/// the post. A post wakes a blocked helper only for offers the awake idle ones will not take, and an offer no helper
/// took is withdrawn when its loop has no items left: before, each post woke a blocked helper that then found nothing
/// and spun beside the caller (three runnable threads on two cores), and stale offers started threads up to the cap;
/// a helper joined a client's long loops 50 to 80 us after the post. Now a spinning helper joins in 1 to 7 us and a
/// blocked one, woken by the post, in about 35 us (README, issue 18).
/// </summary>
internal sealed class LoopHelperThreads
{
    // Long enough to span the gaps between one client's loops (tens to a few hundred microseconds of serial work);
    // short enough that an idle process stops burning a core at once. Tuned on the 2-core VM (README, issue 18).
    private static readonly long SpinAfterWork = Stopwatch.Frequency / 2000; // 0.5 ms

    private readonly int _maximumThreads;
    private readonly object _gate = new(); // Monitor.Wait and Pulse need a monitor, not a Lock
    private readonly List<Action<LoopHelperThreads>> _pending = [];
    private int _pendingCount; // _pending.Count, readable without the gate by spinning threads
    private int _threads;
    private int _idleAwake; // threads not blocked and holding no item: each looks at the offers before it can block
    private int _blocked;

    /// <param name="maximumThreads">The most threads ever started; offers beyond them wait or go unserved (the
    /// loop's caller runs those items).</param>
    public LoopHelperThreads(int maximumThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumThreads, 1);
        _maximumThreads = maximumThreads;
    }

    /// <summary>
    /// The process's helpers. More than a few threads per core only adds switching; callers asking for more run more
    /// items themselves.
    /// </summary>
    public static LoopHelperThreads Shared { get; } = new(Math.Max(4, 4 * Environment.ProcessorCount));

    /// <summary>The threads started so far (they never exit).</summary>
    public int Threads => Volatile.Read(ref _threads);

    /// <summary>Offers not yet taken by a thread.</summary>
    public int PendingOffers => Volatile.Read(ref _pendingCount);

    /// <summary>
    /// Offers <paramref name="run"/> to <paramref name="helpers"/> threads (fewer if the cap is reached). Each that
    /// takes it calls it once, with these helpers; a call that finds nothing left to do must return at once, since it
    /// may come late. The call marks its thread busy while it holds work of the loop (<see cref="MarkBusy"/>) and idle
    /// before that work counts as finished (<see cref="MarkIdle"/>).
    /// </summary>
    public void Post(Action<LoopHelperThreads> run, int helpers)
    {
        lock (_gate)
        {
            int wanted = Math.Min(helpers, _maximumThreads);
            for (int h = 0; h < wanted; h++)
            {
                _pending.Add(run);
            }
            Volatile.Write(ref _pendingCount, _pending.Count);
            // Only the offers beyond the awake idle threads need a blocked one woken (a thread blocks only under this
            // gate after looking at the offers, so it cannot block unseen), and only those beyond every idle thread a
            // new one.
            int beyondAwake = _pending.Count - Volatile.Read(ref _idleAwake);
            for (int woken = 0; woken < Math.Min(_blocked, beyondAwake); woken++)
            {
                Monitor.Pulse(_gate);
            }
            for (int beyondIdle = beyondAwake - _blocked; beyondIdle > 0 && _threads < _maximumThreads; beyondIdle--)
            {
                _threads++;
                Interlocked.Increment(ref _idleAwake); // it looks at the offers first thing
                new Thread(Serve) { IsBackground = true, Name = "SecureFed loop helper" }.Start();
            }
        }
    }

    /// <summary>Takes back the offers of <paramref name="run"/> that no thread has taken (its loop has no items left).</summary>
    public void Withdraw(Action<LoopHelperThreads> run)
    {
        if (Volatile.Read(ref _pendingCount) == 0)
        {
            return;
        }
        lock (_gate)
        {
            _pending.RemoveAll(offer => ReferenceEquals(offer, run));
            Volatile.Write(ref _pendingCount, _pending.Count);
        }
    }

    private void Serve()
    {
        while (true)
        {
            Action<LoopHelperThreads>? run = Take();
            if (run is not null)
            {
                run(this); // CallerFirstLoop's job captures every exception its items throw
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
            lock (_gate)
            {
                Interlocked.Decrement(ref _idleAwake);
                _blocked++;
                while (_pending.Count == 0)
                {
                    Monitor.Wait(_gate);
                }
                _blocked--;
                Interlocked.Increment(ref _idleAwake);
            }
        }
    }

    /// <summary>Called by a job on a helper thread when that thread claims its first item: it is no longer idle.</summary>
    public void MarkBusy() => Interlocked.Decrement(ref _idleAwake);

    /// <summary>Called by a job on a helper thread that marked itself busy, once it will claim no more items.</summary>
    public void MarkIdle() => Interlocked.Increment(ref _idleAwake);

    // The oldest offer, or null when there is none.
    private Action<LoopHelperThreads>? Take()
    {
        if (Volatile.Read(ref _pendingCount) == 0)
        {
            return null;
        }
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return null;
            }
            Action<LoopHelperThreads> run = _pending[0];
            _pending.RemoveAt(0);
            Volatile.Write(ref _pendingCount, _pending.Count);
            return run;
        }
    }
}
