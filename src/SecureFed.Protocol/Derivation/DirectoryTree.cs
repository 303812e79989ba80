using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Derivation;

/// <summary>
/// The Merkle tree over the accepted R0 advertisements (protocol-spec/secagg.md section 3): RFC 6962's tree hash with
/// leaf <c>SHA-256(0x00 || BE32(id) || BE32(len body) || body || signature)</c> and node <c>SHA-256(0x01 || l || r)</c>,
/// leaves in ascending sender id. The session id binds its root; a recipient gets only the leaves it relies on and a
/// <see cref="Proof"/> of them, so the key directory a device downloads grows with its degree, not with the round.
/// </summary>
public sealed class DirectoryTree
{
    /// <summary>Size of a leaf, node or root hash.</summary>
    public const int HashSize = 32;

    // Level L holds the hashes of the complete, aligned subtrees of 2^L leaves: floor(m / 2^L) of them. Every subtree
    // RFC 6962's split visits that has 2^L leaves is aligned (it starts at a multiple of 2^L), so it is one of these;
    // the others lie on the right spine and are hashed from two of them.
    private readonly byte[][] _levels;

    private DirectoryTree(byte[][] levels, int count)
    {
        _levels = levels;
        Count = count;
        Root = SubtreeHash(0, count);
    }

    /// <summary>m: the number of leaves (advertisements).</summary>
    public int Count { get; }

    /// <summary>The tree hash over every leaf.</summary>
    public byte[] Root { get; }

    /// <summary>Builds the tree over <paramref name="entries"/>, the accepted R0 envelopes in ascending sender id.</summary>
    public static DirectoryTree Build(IReadOnlyList<ClientEnvelope> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new ArgumentException("a directory tree needs at least one advertisement", nameof(entries));
        }
        var leaves = new byte[entries.Count * HashSize];
        for (int i = 0; i < entries.Count; i++)
        {
            LeafHash(entries[i].SenderId, entries[i].Body, entries[i].Signature, leaves.AsSpan(i * HashSize, HashSize));
        }
        var levels = new List<byte[]> { leaves };
        for (int count = entries.Count; count >= 2; count /= 2)
        {
            byte[] below = levels[^1];
            var above = new byte[count / 2 * HashSize];
            for (int j = 0; j < count / 2; j++)
            {
                NodeHash(below.AsSpan(2 * j * HashSize, HashSize), below.AsSpan((2 * j + 1) * HashSize, HashSize), above.AsSpan(j * HashSize, HashSize));
            }
            levels.Add(above);
        }
        return new DirectoryTree([.. levels], entries.Count);
    }

    /// <summary>The proof of the leaves at <paramref name="indices"/> (strictly ascending, each below <see cref="Count"/>):
    /// the hashes of the largest subtrees holding none of them, in the depth-first, left-to-right order of RFC 6962's
    /// split, 32 bytes each. Empty when every leaf is listed.</summary>
    public byte[] Proof(ReadOnlySpan<int> indices)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] < 0 || indices[i] >= Count || (i > 0 && indices[i] <= indices[i - 1]))
            {
                throw new ArgumentException("proof indices must be strictly ascending leaf indices", nameof(indices));
            }
        }
        using var proof = new MemoryStream();
        AppendProof(0, Count, indices, proof);
        return proof.ToArray();
    }

    /// <summary>SHA-256(0x00 || BE32(sender) || BE32(len body) || body || signature) into <paramref name="hash"/>.</summary>
    public static void LeafHash(uint sender, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature, Span<byte> hash)
    {
        // One SHA-256 call over the leaf's bytes laid out in a row: an incremental hash sets up a hash context per
        // leaf, which cost about twice the hashing of an advertisement (about 150 bytes).
        int length = LeafHeadSize + body.Length + signature.Length;
        byte[]? rented = null;
        Span<byte> input = length <= MaxStackLeaf ? stackalloc byte[MaxStackLeaf] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            input[0] = 0x00;
            BinaryPrimitives.WriteUInt32BigEndian(input[1..], sender);
            BinaryPrimitives.WriteUInt32BigEndian(input[5..], (uint)body.Length);
            body.CopyTo(input[LeafHeadSize..]);
            signature.CopyTo(input[(LeafHeadSize + body.Length)..]);
            SHA256.HashData(input[..length], hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented); // public bytes: nothing to wipe
            }
        }
    }

    // 0x00 || BE32(sender) || BE32(len body).
    private const int LeafHeadSize = 9;

    // An advertisement's leaf input is about 150 bytes; larger bodies (never sent by a client) go to a pooled array.
    private const int MaxStackLeaf = 512;

    /// <summary>
    /// The root the leaves <paramref name="leafHashes"/> (32 bytes each, at the strictly ascending
    /// <paramref name="indices"/> of a tree of <paramref name="count"/> leaves) and <paramref name="proof"/> give, into
    /// <paramref name="root"/>; false when the proof has too few or too many hashes for them (or the indices are not
    /// leaves of such a tree). The caller compares the root with the one it trusts.
    /// </summary>
    public static bool TryComputeRoot(int count, ReadOnlySpan<int> indices, ReadOnlySpan<byte> leafHashes, ReadOnlySpan<byte> proof, Span<byte> root)
    {
        if (count < 1 || indices.Length == 0 || leafHashes.Length != indices.Length * HashSize || proof.Length % HashSize != 0 || root.Length != HashSize)
        {
            return false;
        }
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] < 0 || indices[i] >= count || (i > 0 && indices[i] <= indices[i - 1]))
            {
                return false;
            }
        }
        int used = 0;
        return TryCompute(0, count, indices, 0, leafHashes, proof, ref used, root) && used == proof.Length;
    }

    private static bool TryCompute(int lo, int hi, ReadOnlySpan<int> indices, int first, ReadOnlySpan<byte> leafHashes, ReadOnlySpan<byte> proof,
        ref int used, Span<byte> hash)
    {
        if (indices.IsEmpty)
        {
            if (proof.Length - used < HashSize)
            {
                return false;
            }
            proof.Slice(used, HashSize).CopyTo(hash);
            used += HashSize;
            return true;
        }
        if (hi - lo == 1)
        {
            leafHashes.Slice(first * HashSize, HashSize).CopyTo(hash);
            return true;
        }
        int split = lo + SplitSize(hi - lo);
        int left = CountBelow(indices, split);
        Span<byte> l = stackalloc byte[HashSize];
        Span<byte> r = stackalloc byte[HashSize];
        if (!TryCompute(lo, split, indices[..left], first, leafHashes, proof, ref used, l) ||
            !TryCompute(split, hi, indices[left..], first + left, leafHashes, proof, ref used, r))
        {
            return false;
        }
        NodeHash(l, r, hash);
        return true;
    }

    private void AppendProof(int lo, int hi, ReadOnlySpan<int> indices, MemoryStream proof)
    {
        if (indices.IsEmpty)
        {
            proof.Write(SubtreeHash(lo, hi));
            return;
        }
        if (hi - lo == 1)
        {
            return;
        }
        int split = lo + SplitSize(hi - lo);
        int left = CountBelow(indices, split);
        AppendProof(lo, split, indices[..left], proof);
        AppendProof(split, hi, indices[left..], proof);
    }

    // MTH(D[lo:hi]): a stored node when the range is a complete aligned subtree, else its two halves hashed.
    private byte[] SubtreeHash(int lo, int hi)
    {
        int size = hi - lo;
        if (BitOperations.IsPow2(size))
        {
            int level = BitOperations.Log2((uint)size);
            return _levels[level].AsSpan((lo >> level) * HashSize, HashSize).ToArray();
        }
        int split = lo + SplitSize(size);
        var hash = new byte[HashSize];
        NodeHash(SubtreeHash(lo, split), SubtreeHash(split, hi), hash);
        return hash;
    }

    // RFC 6962: the largest power of two smaller than n (n >= 2).
    private static int SplitSize(int n) => 1 << BitOperations.Log2((uint)(n - 1));

    private static int CountBelow(ReadOnlySpan<int> ascending, int bound)
    {
        int i = ascending.BinarySearch(bound);
        return i >= 0 ? i : ~i;
    }

    private static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> hash)
    {
        Span<byte> input = stackalloc byte[1 + 2 * HashSize];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        SHA256.HashData(input, hash);
    }
}
