using SecureFed.Aggregator.Rounds;

namespace SecureFed.Aggregator.Tests.Memory;

/// <summary>The ended-round cache: bounded, least recently used out first, nothing kept for a miss or a failure.</summary>
public sealed class BoundedRoundCacheTests
{
    [Fact]
    public void It_holds_at_most_its_capacity_and_evicts_the_least_recently_used()
    {
        var cache = new BoundedRoundCache<string>(2);
        cache.GetOrAdd("a", () => "A");
        cache.GetOrAdd("b", () => "B");
        Assert.True(cache.TryGet("a", out _)); // a is now the most recently used
        cache.GetOrAdd("c", () => "C");
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out string? a));
        Assert.Equal("A", a);
        Assert.True(cache.TryGet("c", out _));
    }

    [Fact]
    public void A_hit_does_not_make_the_entry_again()
    {
        var cache = new BoundedRoundCache<string>(2);
        int made = 0;
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("A", cache.GetOrAdd("a", () => { made++; return "A"; }));
        }
        Assert.Equal(1, made);
    }

    [Fact]
    public void A_miss_that_finds_nothing_or_throws_keeps_nothing_and_evicts_nothing()
    {
        var cache = new BoundedRoundCache<string>(1);
        cache.GetOrAdd("a", () => "A");
        Assert.Null(cache.GetOrAdd("x", () => null));
        Assert.Throws<InvalidOperationException>(() => cache.GetOrAdd("y", () => throw new InvalidOperationException("store down")));
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("a", out _));
        Assert.Equal("Y", cache.GetOrAdd("y", () => "Y")); // a failure is not remembered
    }

    [Fact]
    public void Capacity_zero_keeps_nothing()
    {
        var cache = new BoundedRoundCache<string>(0);
        Assert.Equal("A", cache.GetOrAdd("a", () => "A"));
        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Concurrent_misses_for_one_id_make_it_once()
    {
        var cache = new BoundedRoundCache<object>(4);
        int made = 0;
        object[] got = [.. Enumerable.Range(0, 16).AsParallel().Select(_ => cache.GetOrAdd("a", () =>
        {
            Interlocked.Increment(ref made);
            Thread.Sleep(20);
            return new object();
        })!)];
        Assert.Equal(1, made);
        Assert.All(got, o => Assert.Same(got[0], o));
    }
}
