namespace SecureFed.Protocol.Hosting;

/// <summary>What a shard does on applying a <see cref="StageDecision"/>: the batches it routes (one per shard, or none
/// when the stage routes nothing) and, when it needs no batches, its result right away.</summary>
/// <param name="Batches">One batch per destination shard, in shard order; empty when the stage routes nothing.</param>
/// <param name="Result">The shard's result when it is already complete, else null (it comes with the last batch).</param>
public sealed record ShardStep(ShardBatch[] Batches, ShardResult? Result);
