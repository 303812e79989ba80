using System.Buffers.Binary;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// A shard grain's events in its stream (1 + shard) of <c>securefed_round_log</c>: exactly the shard's inputs
/// (<c>IRoundShard</c>'s contract) in order, plus the freeze that keeps a close's report true until its decision.
/// </summary>
internal static class ShardLogKinds
{
    /// <summary>An accepted envelope, as <see cref="RoundLogKinds.Envelope"/>.</summary>
    public const short Envelope = RoundLogKinds.Envelope;

    /// <summary>The shard reported close N (4-byte little-endian N) and takes no envelope until its decision.</summary>
    public const short Freeze = 20;

    /// <summary>The root's decision (<see cref="ShardCodec.Decision"/>).</summary>
    public const short Decision = 21;

    /// <summary>Batches routed to this shard (<see cref="ShardCodec.Batches"/>).</summary>
    public const short Batches = 22;

    public static byte[] FreezePayload(int close)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, close);
        return payload;
    }

    public static int ReadFreeze(ReadOnlyMemory<byte> payload) =>
        payload.Length == 4 ? BinaryPrimitives.ReadInt32LittleEndian(payload.Span) : throw new InvalidDataException("a logged freeze is not 4 bytes");
}
