using SecureFed.Primitives.Concurrency;

namespace SecureFed.Primitives.Tests;

public class CallerFirstLoopTests
{
    // Every item runs exactly once and all have returned (their writes visible) when For returns.
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 5)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 36)]
    [InlineData(3, 1_000)]
    [InlineData(8, 7)]
    public void Every_item_runs_once_before_the_loop_returns(int degree, int count)
    {
        for (int repeat = 0; repeat < 50; repeat++)
        {
            var runs = new int[count];
            var threads = new HashSet<int>();
            CallerFirstLoop.For(degree, count, i =>
            {
                Thread.SpinWait(200);
                Interlocked.Increment(ref runs[i]);
                lock (threads)
                {
                    threads.Add(Environment.CurrentManagedThreadId);
                }
            });
            Assert.All(runs, r => Assert.Equal(1, r));
            Assert.True(threads.Count <= Math.Max(1, degree), $"{threads.Count} threads for degree {degree}");
        }
    }

    [Fact]
    public void An_exception_from_an_item_reaches_the_caller_after_the_rest_ran()
    {
        var runs = new int[100];
        var e = Assert.Throws<InvalidOperationException>(() => CallerFirstLoop.For(2, runs.Length, i =>
        {
            Interlocked.Increment(ref runs[i]);
            if (i == 17)
            {
                throw new InvalidOperationException("item 17");
            }
        }));
        Assert.Equal("item 17", e.Message);
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    // Each of the two items returns only once the other has started: the loop completes only if a helper joins
    // while the other thread is still busy (a helper spinning for work may take item 0 before the caller does). Run
    // twice back to back (a helper spinning after its last job) and after a pause longer than the helpers' spin (a
    // helper blocked and woken by the post).
    [Fact]
    public void A_helper_joins_a_loop_whether_it_was_spinning_or_blocked()
    {
        for (int round = 0; round < 3; round++)
        {
            if (round == 2)
            {
                Thread.Sleep(200);
            }
            using var started = new CountdownEvent(2);
            var ranOn = new int[2];
            var bothStarted = new bool[2];
            CallerFirstLoop.For(2, 2, i =>
            {
                ranOn[i] = Environment.CurrentManagedThreadId;
                started.Signal();
                bothStarted[i] = started.Wait(TimeSpan.FromSeconds(30));
            });
            Assert.True(bothStarted[0] && bothStarted[1], $"no second thread ran an item while the first was busy (round {round})");
            Assert.NotEqual(ranOn[0], ranOn[1]);
        }
    }

    // A loop inside an item (each item is a client whose work is itself a loop) and loops from several threads at
    // once: every item of every loop runs once; a caller never waits for a helper busy elsewhere.
    [Fact]
    public void Nested_and_concurrent_loops_run_every_item_once()
    {
        const int Outer = 6, Inner = 40;
        var runs = new int[Outer * Inner];
        Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, _ =>
        {
            CallerFirstLoop.For(2, Outer, o => CallerFirstLoop.For(2, Inner, i =>
            {
                Thread.SpinWait(100);
                Interlocked.Increment(ref runs[o * Inner + i]);
            }));
        });
        Assert.All(runs, r => Assert.Equal(3, r));
    }

    // One caller's loops one after another need one helper. Items of no work often all run before the helper takes
    // the offer; such an offer is withdrawn when the loop ends, so it cannot pile up and start more threads (before,
    // the shared helpers grew to their cap of 8 in a benchmark whose loops never needed more than one).
    [Fact]
    public void Back_to_back_loops_from_one_caller_start_one_helper_and_leave_no_offer()
    {
        var helpers = new LoopHelperThreads(maximumThreads: 8);
        long sum = 0, expected = 0;
        for (int loop = 0; loop < 5_000; loop++)
        {
            int count = 2 + loop % 3;
            CallerFirstLoop.For(helpers, 2, count, i => Interlocked.Add(ref sum, i + 1));
            expected += count * (count + 1) / 2;
            if (loop % 1_000 == 999)
            {
                Thread.Sleep(5); // the helper blocks: the next post must wake it, not start another
            }
        }
        Assert.Equal(expected, sum);
        Assert.Equal(1, helpers.Threads);
        Assert.Equal(0, helpers.PendingOffers);
    }

    // Several callers at once, each loop's two items returning only once both have started: every loop needs a
    // helper of its own at some point, so an offer that is lost (withdrawn too early, or a blocked thread not woken
    // while the others are busy) leaves its loop waiting. Blocked helpers are among them (pauses longer than the spin).
    [Fact]
    public void Concurrent_callers_each_get_a_helper()
    {
        var helpers = new LoopHelperThreads(maximumThreads: 8);
        var joined = new bool[3 * 20];
        Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, caller =>
        {
            for (int loop = 0; loop < 20; loop++)
            {
                if (loop % 7 == 6)
                {
                    Thread.Sleep(5);
                }
                using var started = new CountdownEvent(2);
                var both = new bool[2];
                CallerFirstLoop.For(helpers, 2, 2, i =>
                {
                    started.Signal();
                    both[i] = started.Wait(TimeSpan.FromSeconds(30));
                });
                joined[caller * 20 + loop] = both[0] && both[1];
            }
        });
        Assert.All(joined, Assert.True);
        Assert.Equal(0, helpers.PendingOffers);
    }

    // A helper that takes the job after every item ran (a late join) must not keep the body's captures alive.
    [Fact]
    public void A_finished_loop_lets_go_of_its_body()
    {
        WeakReference captured = RunLoopCapturing();
        for (int i = 0; i < 20 && captured.IsAlive; i++)
        {
            Thread.Sleep(10);
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(captured.IsAlive, "the loop's body (and what it captured) is still reachable after the loop");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RunLoopCapturing()
    {
        var state = new int[4];
        CallerFirstLoop.For(2, state.Length, i => state[i]++);
        Assert.All(state, v => Assert.Equal(1, v));
        return new WeakReference(state);
    }
}
