using System.Buffers.Binary;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// The round grain's events in its stream (0) of <c>securefed_round_log</c>: exactly what the round-host contract says
/// a host persists (accepted envelopes and closes, in order), plus the operator's abort. Replaying them on a fresh
/// server from the stored configuration rebuilds the round. A sharded round's root logs <see cref="Decided"/> and
/// <see cref="Completed"/> instead of <see cref="Close"/>, and its envelopes are in the shards' streams (<see cref="ShardLogKinds"/>).
/// </summary>
internal static class RoundLogKinds
{
    /// <summary>An accepted envelope: 4-byte big-endian client id, then the envelope's bytes.</summary>
    public const short Envelope = 1;

    /// <summary>A stage close (empty payload): the engine decides what it sends.</summary>
    public const short Close = 2;

    /// <summary>The operator's abort: the detail in UTF-8.</summary>
    public const short Abort = 3;

    /// <summary>A sharded round's root decided a close: the S shard reports it decided from (<see cref="ShardCodec.Reports"/>).</summary>
    public const short Decided = 4;

    /// <summary>A sharded round's root completed the decided close: the S shard results (<see cref="ShardCodec.Results"/>).</summary>
    public const short Completed = 5;

    public static byte[] EnvelopePayload(uint clientId, ReadOnlySpan<byte> envelope)
    {
        var payload = new byte[4 + envelope.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, clientId);
        envelope.CopyTo(payload.AsSpan(4));
        return payload;
    }

    public static (uint ClientId, ReadOnlyMemory<byte> Envelope) ReadEnvelope(ReadOnlyMemory<byte> payload) =>
        payload.Length < 4
            ? throw new InvalidDataException("a logged envelope event is shorter than its client id")
            : (BinaryPrimitives.ReadUInt32BigEndian(payload.Span), payload[4..]);
}
