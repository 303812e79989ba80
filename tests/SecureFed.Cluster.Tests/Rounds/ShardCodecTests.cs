using SecureFed.Cluster.Hosting;
using SecureFed.Cluster.Rounds;
using SecureFed.Protocol.Hosting;

namespace SecureFed.Cluster.Tests.Rounds;

/// <summary>The bytes between the root and shard grains (and in their logs) round-trip, and bad bytes are refused.</summary>
public sealed class ShardCodecTests
{
    private static readonly ShardResult Result = new(2, 4, [new SentMessage([3u, 9u], [1, 2, 3])], [[1UL, ulong.MaxValue], [7UL]],
        new ShardFailure(9, new RoundAbort(3, "unmask-failed", "a secret of client 9 could not be rebuilt")));

    [Fact]
    public void Every_value_round_trips()
    {
        var report = new ShardReport(1, 0, [4, 7], [[9, 9], []]);
        ShardReport back = ShardCodec.ReadReports(ShardCodec.Reports([report])).Single();
        Assert.Equal((report.Shard, report.Close), (back.Shard, back.Close));
        Assert.Equal(report.Contributors, back.Contributors);
        Assert.Equal(report.Items, back.Items);

        var decision = new StageDecision(3, [1, 2, 5], [0xAA], new RoundAbort(2, "too-few", "two of three"));
        StageDecision d = ShardCodec.ReadDecision(ShardCodec.Decision(decision));
        Assert.Equal(decision.Members, d.Members);
        Assert.Equal(decision.Broadcast, d.Broadcast);
        Assert.Equal(decision.Abort, d.Abort);

        var batch = new ShardBatch(4, 0, 2, [new ShardItem(5, 6, [1, 2, 3, 4])]);
        ShardStep step = ShardCodec.ReadStep(ShardCodec.Step(new ShardStep([batch], Result)));
        ShardItem item = step.Batches.Single().Items.Single();
        Assert.Equal((5u, 6u), (item.From, item.To));
        Assert.Equal(batch.Items[0].Bytes, item.Bytes);
        AssertSame(Result, step.Result!);
        AssertSame(Result, ShardCodec.ReadResults(ShardCodec.Results([Result])).Single());
        Assert.Null(ShardCodec.ReadResult(ShardCodec.Result(null)));
    }

    [Fact]
    public void Truncated_extended_or_corrupt_bytes_are_refused()
    {
        byte[] good = ShardCodec.Results([Result]);
        for (int cut = 0; cut < good.Length; cut++)
        {
            Assert.Throws<InvalidDataException>(() => ShardCodec.ReadResults(good.AsMemory(0, cut)));
        }
        Assert.Throws<InvalidDataException>(() => ShardCodec.ReadResults(good.Append((byte)0).ToArray()));
        byte[] huge = [.. good];
        huge[1] = 0xFF; // the list's count
        huge[4] = 0x7F;
        Assert.Throws<InvalidDataException>(() => ShardCodec.ReadResults(huge));
        byte[] version = [.. good];
        version[0] = 99;
        Assert.Throws<InvalidDataException>(() => ShardCodec.ReadResults(version));
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(5, 3)]
    [InlineData(2, 4)]
    public void The_shards_of_a_round_land_on_min_S_silos_distinct_silos(int shards, int silos)
    {
        foreach (string round in new[] { "00000000000000000000000000000000", "ffffffffaaaaaaaaaaaaaaaaaaaaaaaa", "7a3b0c11deadbeefdeadbeefdeadbeef" })
        {
            int[] picked = [.. Enumerable.Range(0, shards).Select(i => ShardPlacementDirector.IndexOf(ShardedRound.ShardKey(round, i), silos))];
            Assert.All(picked, p => Assert.InRange(p, 0, silos - 1));
            Assert.Equal(Math.Min(shards, silos), picked.Distinct().Count());
        }
    }

    private static void AssertSame(ShardResult expected, ShardResult actual)
    {
        Assert.Equal((expected.Shard, expected.Close), (actual.Shard, actual.Close));
        Assert.Equal(expected.Messages.Single().Recipients, actual.Messages.Single().Recipients);
        Assert.Equal(expected.Messages.Single().Bytes, actual.Messages.Single().Bytes);
        Assert.Equal(expected.Partial, actual.Partial);
        Assert.Equal(expected.Failure, actual.Failure);
    }
}
