using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureFed.Protocol.Hosting;

/// <summary>
/// Which shard of a round holds a client: a fixed function of the round id and the client id, so any front end routes
/// without a lookup and a later change of the silos does not reshuffle a running round. SHA-256 spreads any roster's
/// ids evenly; with one shard every client is in shard 0.
/// </summary>
public static class ShardMap
{
    /// <summary>The shard of <paramref name="client"/>, 0..<paramref name="shardCount"/>-1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is below 1.</exception>
    public static int ShardOf(ReadOnlySpan<byte> roundId, uint client, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        if (shardCount == 1)
        {
            return 0;
        }
        // SHA-256("SecureFed/shard/v1" || round id || client id as 4 bytes little-endian): the first 8 bytes mod S.
        ReadOnlySpan<byte> label = "SecureFed/shard/v1"u8;
        Span<byte> input = stackalloc byte[label.Length + roundId.Length + 4];
        label.CopyTo(input);
        roundId.CopyTo(input[label.Length..]);
        BinaryPrimitives.WriteUInt32LittleEndian(input[(label.Length + roundId.Length)..], client);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        return (int)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % (ulong)shardCount);
    }
}
