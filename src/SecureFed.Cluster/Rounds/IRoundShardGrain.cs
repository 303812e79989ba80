using Orleans.Concurrency;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// One shard of a sharded round (key <c>ROUND/SHARD</c>, see <see cref="ShardedRound.ShardKey"/>): the mailboxes and
/// per-client state of the clients <c>ShardMap</c> puts in it and its partial sum (the engine's <c>IRoundShard</c>),
/// with its own append-only log in the round's stream 1 + SHARD. The front end sends a client's envelopes here
/// directly; the round's root (<see cref="IRoundGrain"/>) drives its closes. The values between them travel as
/// <see cref="ShardCodec"/> bytes, the same bytes the logs hold.
/// </summary>
internal interface IRoundShardGrain : IGrainWithStringKey
{
    /// <summary>Handles one envelope of <paramref name="clientId"/> (a roster member of this shard the front end authenticated).
    /// Submits interleave so that their log appends share commits (group commit); each still answers only once its
    /// envelope is durable, and none runs while one of the root's calls does.</summary>
    [AlwaysInterleave]
    Task<SubmitReply> Submit(uint clientId, byte[] envelope);

    /// <summary>How many of the shard's clients sent their message for close <paramref name="close"/>; -1 when the
    /// shard does not collect that close (or the round ended). Reads only.</summary>
    [AlwaysInterleave]
    Task<int> Received(int close);

    /// <summary>The shard's report for close <paramref name="close"/>; from here until the root's decision arrives the
    /// shard takes no envelope (503, the client retries), so the decision covers everything it acknowledged.</summary>
    Task<byte[]> Report(int close);

    /// <summary>Applies the root's decision (idempotent per close): the encoded <c>ShardStep</c>.</summary>
    Task<byte[]> Apply(byte[] decision);

    /// <summary>Takes the batches other shards route to this one for close <paramref name="close"/> (duplicates
    /// ignored): the encoded result once all S are in, else an encoded null.</summary>
    Task<byte[]> Receive(int close, byte[] batches);

    /// <summary>The root ended the round (an operator abort): take no more envelopes.</summary>
    Task Ended();

    /// <summary>The silo the activation runs on (diagnostics and fault tests).</summary>
    [AlwaysInterleave]
    Task<SiloAddress> Silo();

    /// <summary>This activation's id and how many logged events it replayed when it activated (fault tests: a shard
    /// whose silo survived a kill keeps its activation and replays nothing again).</summary>
    [AlwaysInterleave]
    Task<ShardActivation> Activation();
}

/// <summary>One activation of a shard grain: its Orleans activation id and the events its activation replayed.</summary>
[GenerateSerializer, Immutable]
internal sealed record ShardActivation([property: Id(0)] string ActivationId, [property: Id(1)] long Replayed);
