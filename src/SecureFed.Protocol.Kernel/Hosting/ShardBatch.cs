namespace SecureFed.Protocol.Hosting;

/// <summary>
/// Everything one shard routes to one shard (itself included) in a close. In a stage that routes, every shard sends
/// exactly one batch, possibly empty, to every shard, so a receiver knows it has all of them after S.
/// </summary>
/// <param name="Close">The close the items belong to.</param>
/// <param name="From">The sending shard.</param>
/// <param name="To">The receiving shard.</param>
/// <param name="Items">The items, in the sender's order (the receiver sorts what it builds).</param>
public sealed record ShardBatch(int Close, int From, int To, ShardItem[] Items);
