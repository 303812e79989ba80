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
}
