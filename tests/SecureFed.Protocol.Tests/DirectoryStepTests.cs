using SecureFed.Protocol.Client;
using SecureFed.Protocol.Concurrency;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// The pieces of a client's key-directory step (R0 -> R1) that were made cheaper: the in-order parallel pass, the
// bitmap reads and the shuffle's rejection test must give exactly what the plain versions give.
public class DirectoryStepTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void The_in_order_pass_runs_every_index_once(int degree)
    {
        foreach (int count in new[] { 0, 1, 2, 3, 17, 70 })
        {
            var runs = new int[count];
            BoundedParallel.ForInOrder(degree, count, i =>
            {
                Interlocked.Increment(ref runs[i]);
                Thread.SpinWait(i % 7 * 100); // unequal items
            });
            Assert.All(runs, r => Assert.Equal(1, r));
        }
    }

    [Fact]
    public void The_in_order_pass_runs_in_ascending_order_on_one_thread_and_rethrows_a_failure_as_thrown()
    {
        var order = new List<int>();
        BoundedParallel.ForInOrder(1, 5, order.Add);
        Assert.Equal([0, 1, 2, 3, 4], order);
        var e = Assert.Throws<InvalidOperationException>(() => BoundedParallel.ForInOrder(2, 50, i =>
        {
            if (i == 3)
            {
                throw new InvalidOperationException("item 3");
            }
        }));
        Assert.Equal("item 3", e.Message);
    }

    [Fact]
    public void Bitmap_reads_agree_with_a_walk_of_the_roster()
    {
        var random = new Random(5);
        foreach (int n in new[] { 3, 8, 9, 63, 64, 65, 130 })
        {
            using var round = new ManualRound(n, length: 4);
            RoundParameters p = round.Parameters;
            uint[] roster = p.AscendingClientIds.ToArray();
            for (int trial = 0; trial < 5; trial++)
            {
                uint[] members = [.. roster.Where(_ => random.Next(trial + 2) != 0)];
                byte[] bitmap = RosterBitmap.Encode(p, members);
                Assert.Equal(members, RosterBitmap.TryDecode(p, bitmap));
                AdvertisedSet viaIds = AdvertisedSet.Of(p, members), viaBits = AdvertisedSet.FromBitmap(p, bitmap);
                foreach (uint id in roster.Concat([0u, roster[^1] + 1, uint.MaxValue]))
                {
                    Assert.Equal(viaIds.Contains(id), viaBits.Contains(id));
                    Assert.Equal(members.Contains(id), viaBits.Contains(id));
                }
            }
        }
    }

    [Fact]
    public void The_shuffle_rejects_exactly_the_words_above_the_limit()
    {
        ulong[] bounds = [2, 3, 5, 7, 10, 1000, 10_000, (1UL << 31) + 11, 1UL << 32, (1UL << 40) - 3, (1UL << 63) + 5, ulong.MaxValue];
        foreach (ulong b in bounds)
        {
            ulong limit = GraphPermutation.RejectionLimit(b);
            ulong[] words = [0, 1, b, limit - 1, limit, limit + 1, ulong.MaxValue - b, ulong.MaxValue - b + 1, ulong.MaxValue - b + 2, ulong.MaxValue - 1, ulong.MaxValue];
            foreach (ulong x in words)
            {
                Assert.Equal(x > limit, GraphPermutation.Rejects(x, b));
            }
        }
    }

    [Fact]
    public void A_directory_with_more_entries_than_holders_is_refused_before_any_signature()
    {
        var r = new ManualRound(4, length: 4);
        using (r)
        {
            var replies = r.StartClients();
            r.SendToServer(replies.Values);
            var dir = (KeyDirectory)r.CloseStage()[1];
            var forged = new ClientEnvelope { SenderId = 9, Stage = ProtocolStage.AdvertiseKeys, Body = dir.Entries[1].Body, Signature = new byte[64] };
            ClientTransition t = r.Clients[1].Handle(Directories.WithEntries(dir, [.. dir.Entries, forged], recommit: false));
            Assert.Equal(AbortReason.InvalidServerMessage, Assert.IsType<ClientAbortedState>(t.Next).Reason);
            Assert.Null(t.Outgoing);
        }
    }
}
