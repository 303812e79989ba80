using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureFed.Primitives.Prg;

namespace SecureFed.Protocol.Graph;

/// <summary>
/// The ring order of the SecAgg+ graph (protocol-spec/secagg.md, "Neighbour graph"): a Fisher-Yates shuffle of the
/// ascending member ids driven by the AES-256-CTR keystream keyed with
/// HKDF-SHA256(IKM = session id, salt = empty, info = "SecureFed/secagg/v1/graph-permutation"). Every party computes
/// it from the session id, which hashes every signed advertisement, so the server cannot pick the graph.
/// </summary>
public static class GraphPermutation
{
    /// <summary>HKDF info label of the permutation key.</summary>
    public static ReadOnlySpan<byte> Label => "SecureFed/secagg/v1/graph-permutation"u8;

    /// <summary>
    /// The graph seed g = HKDF-SHA256(session id, info = <see cref="Label"/>): public (the session id is), fixed only
    /// once R0 closes, and enough with U1 to recompute the ring. Shown in round status and transcripts.
    /// </summary>
    public static byte[] Seed(ReadOnlySpan<byte> sessionId)
    {
        var seed = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sessionId, seed, [], Label);
        return seed;
    }

    /// <summary>The ring order of <paramref name="members"/> for <paramref name="sessionId"/>.</summary>
    public static uint[] Shuffle(ReadOnlySpan<byte> sessionId, IEnumerable<uint> members)
    {
        uint[] ring = [.. members.Order()];
        ShuffleAscending(sessionId, ring);
        return ring;
    }

    /// <summary>
    /// Shuffles <paramref name="ring"/>, which must hold the member ids in ascending order, into the ring order in
    /// place (what <see cref="Shuffle"/> returns, without a sort or a copy).
    /// </summary>
    public static void ShuffleAscending(ReadOnlySpan<byte> sessionId, Span<uint> ring)
    {
        using var stream = new AesCtrKeystream(Seed(sessionId));
        // The keystream is read 8 bytes at a time in order; producing it 1 KB at a time gives the same words.
        Span<byte> block = stackalloc byte[1024];
        int used = block.Length;
        for (int i = ring.Length - 1; i > 0; i--)
        {
            ulong bound = (ulong)i + 1;
            ulong x;
            do
            {
                if (used == block.Length)
                {
                    stream.Fill(block);
                    used = 0;
                }
                x = BinaryPrimitives.ReadUInt64LittleEndian(block[used..]);
                used += 8;
            }
            while (Rejects(x, bound));
            int j = (int)(x % bound);
            (ring[i], ring[j]) = (ring[j], ring[i]);
        }
    }

    // The largest word kept for `bound`, rejecting the partial top interval. It is at least 2^64 - bound (the term
    // subtracted is below bound), so a word at or below that is kept without the two divisions computing it: one
    // division per step instead of three, at 10,000 members the bulk of a client's shuffle.
    internal static ulong RejectionLimit(ulong bound) => ulong.MaxValue - (ulong.MaxValue % bound + 1) % bound;

    // x > RejectionLimit(bound), computing the limit only for the top `bound` words.
    internal static bool Rejects(ulong x, ulong bound) => x > ulong.MaxValue - bound + 1 && x > RejectionLimit(bound);
}
