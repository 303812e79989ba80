using System.Security.Cryptography;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Graph;

namespace SecureFed.Protocol.Tests;

public class GraphTests
{
    private static bool Connected(INeighbourGraph g, IReadOnlyCollection<uint> members)
    {
        var seen = new HashSet<uint> { members.First() };
        var queue = new Queue<uint>(seen);
        while (queue.Count > 0)
        {
            foreach (uint v in g.NeighboursOf(queue.Dequeue()))
            {
                if (members.Contains(v) && seen.Add(v))
                {
                    queue.Enqueue(v);
                }
            }
        }
        return seen.Count == members.Count;
    }

    [Theory]
    [InlineData(10, 2)]
    [InlineData(101, 8)]
    [InlineData(1000, 36)]
    public void Harary_graph_is_k_regular_symmetric_and_stays_connected_after_removing_k_minus_1_nodes(int n, int k)
    {
        uint[] ids = [.. Enumerable.Range(1, n).Select(i => (uint)(i * 3))];
        var g = new HararyGraph(GraphPermutation.Shuffle(SHA256.HashData(BitConverter.GetBytes(n)), ids), k);
        foreach (uint u in ids)
        {
            IReadOnlyList<uint> nb = g.NeighboursOf(u);
            Assert.Equal(k, nb.Count);
            Assert.DoesNotContain(u, nb);
            Assert.All(nb, v => Assert.True(g.AreNeighbours(v, u)));
        }
        // k-connected: removing any k - 1 nodes (here: a run of k - 1 consecutive ring positions) keeps it connected.
        var survivors = g.Ring.Skip(k - 1).ToHashSet();
        Assert.True(Connected(g, survivors));
    }

    [Fact]
    public void Small_rings_become_complete()
    {
        var g = new HararyGraph([5, 6, 7, 8], 6);
        Assert.Equal([6u, 7u, 8u], g.NeighboursOf(5));
    }

    [Fact]
    public void The_permutation_is_a_deterministic_function_of_the_session_id_and_looks_uniform()
    {
        uint[] ids = [.. Enumerable.Range(1, 50).Select(i => (uint)i)];
        byte[] session = SHA256.HashData("s"u8);
        Assert.Equal(GraphPermutation.Shuffle(session, ids), GraphPermutation.Shuffle(session, ids.Reverse()));
        session[0] ^= 1;
        Assert.NotEqual(GraphPermutation.Shuffle(SHA256.HashData("s"u8), ids), GraphPermutation.Shuffle(session, ids));

        // Where does client 1 land over 2,000 session ids? Uniform over 50 positions: chi-square with 49 dof.
        var counts = new int[50];
        for (int s = 0; s < 2000; s++)
        {
            uint[] ring = GraphPermutation.Shuffle(SHA256.HashData(BitConverter.GetBytes(s)), ids);
            counts[Array.IndexOf(ring, 1u)]++;
        }
        double expected = 2000 / 50.0;
        double chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.InRange(chi2, 20, 90); // 49 dof: 1e-4 and 1 - 1e-4 quantiles are about 20.5 and 89
    }

    [Fact]
    public void The_server_cannot_pick_neighbours_the_ring_depends_on_every_advertisement()
    {
        // The session id hashes every signed R0 message; changing any one of them reshuffles the ring.
        uint[] ids = [.. Enumerable.Range(1, 30).Select(i => (uint)i)];
        var rings = Enumerable.Range(0, 20).Select(i => string.Join(',', GraphPermutation.Shuffle(SHA256.HashData(BitConverter.GetBytes(i)), ids))).ToHashSet();
        Assert.Equal(20, rings.Count);
    }

    [Fact]
    public void Configuration_validates_the_degree_and_threshold_for_Harary()
    {
        using var r = new Testing.ManualRound(10);
        var c = new RoundConfiguration { RoundId = r.Configuration.RoundId, Vectors = r.Configuration.Vectors, Roster = r.Configuration.Roster, Graph = GraphKind.Harary, GraphDegree = 3, Threshold = 3 };
        Assert.Equal("GraphDegree", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(c)).Field);
        c.GraphDegree = 4;
        c.Threshold = 2;
        Assert.Equal("Threshold", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(c)).Field);
        c.Threshold = 3;
        Assert.Equal(5, RoundParameters.Create(c).HoldersPerClient);
    }
}
