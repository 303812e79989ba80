using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Hosting;

/// <summary>
/// One shard of a round's server side: the envelopes of the clients <see cref="ShardMap"/> maps to it, their per-client
/// state and the shard's partial sum. Pure and deterministic, no I/O, clock or randomness: its state is a function of
/// its inputs in order, and its inputs are exactly its events, which a host persists (an append-only log per shard)
/// and replays into a fresh shard: accepted envelopes (<see cref="Handle"/> returned null), the root's decisions
/// (<see cref="Apply"/>) and the batches other shards routed to it (<see cref="Receive"/>). <see cref="Report"/> only
/// reads. Not thread-safe: one owner (a lock, a grain) per shard.
/// </summary>
public interface IRoundShard
{
    /// <summary>The scheme.</summary>
    RoundScheme Scheme { get; }

    /// <summary>This shard's number, 0..<see cref="ShardCount"/>-1.</summary>
    int Shard { get; }

    /// <summary>How many shards the round has (fixed when it opens).</summary>
    int ShardCount { get; }

    /// <summary>The close the shard collects messages for (masking: the open stage), or null once it collects none.</summary>
    int? OpenClose { get; }

    /// <summary>The shard's clients whose message for the open stage was accepted.</summary>
    int Received { get; }

    /// <summary>Records one envelope of a client of this shard, or refuses it with the unsharded server's typed
    /// refusal, leaving the shard untouched (a client of another shard: <see cref="RejectionReason.NotExpected"/>).</summary>
    /// <returns>Null when accepted (the host then appends the bytes to the shard's log), else why not.</returns>
    MessageRejection? Handle(ReadOnlyMemory<byte> envelope);

    /// <summary>The shard's contributors to the open stage, for the root's close decision. Changes nothing.</summary>
    /// <exception cref="InvalidOperationException">The shard collects no stage.</exception>
    ShardReport Report();

    /// <summary>Applies the root's decision for the open stage: the stage closes and the next opens (or the shard
    /// stops, on an abort); returns what the shard routes and, when it needs no batches, its result.</summary>
    /// <exception cref="InvalidOperationException">The decision is not for the open stage.</exception>
    ShardStep Apply(StageDecision decision);

    /// <summary>Takes one shard's batch for a close the shard applied; returns the shard's result once the last of
    /// the S batches is in, else null. A second batch from the same shard for the same close is ignored. Secret items
    /// (masking R4 shares) are wiped in the batch once used: a host persists the batch before it hands it over.</summary>
    /// <exception cref="InvalidOperationException">The batch is not for this shard or not for the close it routes.</exception>
    ShardResult? Receive(ShardBatch batch);
}
