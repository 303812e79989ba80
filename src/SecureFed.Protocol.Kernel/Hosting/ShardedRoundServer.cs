using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Hosting;

/// <summary>
/// A round's root and its S shards composed in one process behind <see cref="IRoundServer"/>: an envelope goes to
/// its sender's shard (<see cref="ShardMap"/>), a close runs report → decide → apply → route → complete. This is
/// the unsharded server (S = 1) and what a cluster does across grains, so a round's result and messages do not
/// depend on S. Its log is the unsharded one (accepted envelopes and closes): each close re-runs the same steps.
/// </summary>
public sealed class ShardedRoundServer : RootedRoundServer
{
    private readonly IRoundShard[] _shards;

    /// <summary>Composes <paramref name="root"/> with its shards, shard i at index i.</summary>
    /// <exception cref="ArgumentException">The shards are not the root's shards 0..S-1 of one scheme.</exception>
    public ShardedRoundServer(IRoundRoot root, IReadOnlyList<IRoundShard> shards)
        : base(root)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count != root.ShardCount)
        {
            throw new ArgumentException($"the root expects {root.ShardCount} shards, {shards.Count} given", nameof(shards));
        }
        for (int i = 0; i < shards.Count; i++)
        {
            if (shards[i] is null || shards[i].Shard != i || shards[i].ShardCount != root.ShardCount || shards[i].Scheme != root.Scheme)
            {
                throw new ArgumentException($"shards[{i}] is not shard {i} of {root.ShardCount} of a {root.Scheme} round", nameof(shards));
            }
        }
        _shards = [.. shards];
    }

    /// <summary>The shards, shard i at index i.</summary>
    public IReadOnlyList<IRoundShard> Shards => _shards;

    /// <inheritdoc />
    protected override int ShardsReceived => _shards.Sum(s => s.Received);

    /// <summary>The shard an envelope goes to: its claimed sender's, or shard 0 (which refuses it precisely) when the
    /// bytes are not an envelope. With one shard the envelope is not decoded here (the shard decodes it once).</summary>
    public int ShardFor(ReadOnlyMemory<byte> envelope) =>
        _shards.Length > 1 && Root.ClaimedSender(envelope) is uint sender ? ShardMap.ShardOf(Root.RoundId.Span, sender, _shards.Length) : 0;

    /// <inheritdoc />
    public override MessageRejection? Handle(ReadOnlyMemory<byte> envelope) =>
        End is null ? _shards[ShardFor(envelope)].Handle(envelope) : new MessageRejection(RejectionReason.RoundClosed, "the round is over");

    /// <inheritdoc />
    public override StageClose Close()
    {
        if (End is not null)
        {
            throw new InvalidOperationException("the round is over");
        }
        StageDecision decision = Root.Decide([.. _shards.Select(s => s.Report())]);
        var results = new ShardResult?[_shards.Length];
        var inbound = new List<ShardBatch>();
        for (int i = 0; i < _shards.Length; i++)
        {
            ShardStep step = _shards[i].Apply(decision);
            results[i] = step.Result;
            inbound.AddRange(step.Batches);
        }
        foreach (ShardBatch batch in inbound)
        {
            results[batch.To] = _shards[batch.To].Receive(batch) ?? results[batch.To];
        }
        if (results.Any(r => r is null))
        {
            throw new InvalidOperationException("a shard did not complete its close after every batch arrived");
        }
        return Root.Complete(results!);
    }
}
