namespace SecureFed.Cluster.Storage;

/// <summary>One event of a round's append-only log, as stored (the engine gives kind and payload their meaning).</summary>
/// <param name="Stream">Writer of the event: 0 for the round grain, 1..S for its shards.</param>
/// <param name="Sequence">Position in the stream, dense from 0.</param>
/// <param name="Kind">The engine's event kind code.</param>
/// <param name="Payload">The engine's encoded event.</param>
public sealed record RoundLogEvent(int Stream, long Sequence, short Kind, ReadOnlyMemory<byte> Payload);
