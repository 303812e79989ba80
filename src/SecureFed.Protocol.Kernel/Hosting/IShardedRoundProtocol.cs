namespace SecureFed.Protocol.Hosting;

/// <summary>A scheme whose server side splits into a root and S shards (<see cref="IRoundRoot"/>,
/// <see cref="IRoundShard"/>); its <see cref="IRoundProtocol.Start"/> is the same engine with S = 1.</summary>
public interface IShardedRoundProtocol : IRoundProtocol
{
    /// <summary>The root of a fresh round over <paramref name="shardCount"/> shards.</summary>
    /// <exception cref="Configuration.InvalidRoundConfigurationException">The configuration is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is below 1.</exception>
    IRoundRoot StartRoot(ReadOnlyMemory<byte> configuration, int minimumClients, int shardCount);

    /// <summary>Shard <paramref name="shard"/> of <paramref name="shardCount"/> of a fresh round.</summary>
    /// <exception cref="Configuration.InvalidRoundConfigurationException">The configuration is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The shard number is not in 0..<paramref name="shardCount"/>-1.</exception>
    IRoundShard StartShard(ReadOnlyMemory<byte> configuration, int shard, int shardCount);
}
