using System.Security.Cryptography;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Tests;

// The key directory's Merkle tree (secagg.md 3): roots against RFC 6962's recursion written out here, and proofs that
// verify for the leaves they were made for and for nothing else.
public class DirectoryTreeTests
{
    private static ClientEnvelope Entry(int i) => new()
    {
        SenderId = (uint)(2 * i + 1), Stage = ProtocolStage.AdvertiseKeys, Body = SHA256.HashData(BitConverter.GetBytes(i)), Signature = new byte[64],
    };

    private static byte[] Leaf(ClientEnvelope e)
    {
        var h = new byte[32];
        DirectoryTree.LeafHash(e.SenderId, e.Body, e.Signature, h);
        return h;
    }

    private static byte[] Mth(byte[][] leaves)
    {
        if (leaves.Length == 1)
        {
            return leaves[0];
        }
        int k = 1;
        while (2 * k < leaves.Length)
        {
            k *= 2;
        }
        return SHA256.HashData([0x01, .. Mth(leaves[..k]), .. Mth(leaves[k..])]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100)]
    public void Roots_and_proofs_agree_with_the_rfc_6962_recursion(int m)
    {
        ClientEnvelope[] entries = [.. Enumerable.Range(0, m).Select(Entry)];
        byte[][] leaves = [.. entries.Select(Leaf)];
        DirectoryTree tree = DirectoryTree.Build(entries);
        Assert.Equal(Mth(leaves), tree.Root);
        var random = new Random(m);
        for (int trial = 0; trial < 20; trial++)
        {
            int[] set = [.. Enumerable.Range(0, m).Where(_ => random.Next(4) == 0).DefaultIfEmpty(random.Next(m)).Distinct().Order()];
            byte[] proof = tree.Proof(set);
            byte[] known = [.. set.SelectMany(i => leaves[i])];
            var root = new byte[32];
            Assert.True(DirectoryTree.TryComputeRoot(m, set, known, proof, root));
            Assert.Equal(tree.Root, root);
            if (proof.Length > 0)
            {
                // One node more or fewer, or one bit off, and the root is not that of the tree.
                Assert.False(DirectoryTree.TryComputeRoot(m, set, known, proof[..^32], root));
                Assert.False(DirectoryTree.TryComputeRoot(m, set, known, [.. proof, .. new byte[32]], root));
                byte[] flipped = [.. proof];
                flipped[0] ^= 1;
                Assert.True(DirectoryTree.TryComputeRoot(m, set, known, flipped, root));
                Assert.NotEqual(tree.Root, root);
            }
            byte[] wrongLeaf = [.. known];
            wrongLeaf[^1] ^= 1;
            Assert.True(DirectoryTree.TryComputeRoot(m, set, wrongLeaf, proof, root));
            Assert.NotEqual(tree.Root, root);
        }
        Assert.Empty(tree.Proof([.. Enumerable.Range(0, m)]));
    }

    [Fact]
    public void A_proof_of_a_few_leaves_of_many_is_logarithmic()
    {
        ClientEnvelope[] entries = [.. Enumerable.Range(0, 10_000).Select(Entry)];
        DirectoryTree tree = DirectoryTree.Build(entries);
        int[] set = [.. Enumerable.Range(0, 41).Select(i => i * 241)];
        int nodes = tree.Proof(set).Length / 32;
        Assert.InRange(nodes, 41 * 7, 41 * 9); // about (k + 1) log2(m / (k + 1)) = 41 x 7.9
    }
}
