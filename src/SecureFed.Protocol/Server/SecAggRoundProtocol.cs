using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>Starts masking rounds' servers from their stored RoundConfiguration bytes.</summary>
public sealed class SecAggRoundProtocol : IShardedRoundProtocol
{
    /// <inheritdoc />
    public IRoundServer Start(ReadOnlyMemory<byte> configuration, int minimumClients) => new SecAggRoundServer(Parameters(configuration), minimumClients);

    /// <inheritdoc />
    public IRoundRoot StartRoot(ReadOnlyMemory<byte> configuration, int minimumClients, int shardCount) =>
        new SecAggRoundRoot(Parameters(configuration), minimumClients, shardCount);

    /// <inheritdoc />
    public IRoundShard StartShard(ReadOnlyMemory<byte> configuration, int shard, int shardCount) =>
        new SecAggRoundShard(Parameters(configuration), shard, shardCount);

    private static RoundParameters Parameters(ReadOnlyMemory<byte> configuration)
    {
        RoundConfiguration decoded;
        try
        {
            decoded = MessageCodec.Decode<RoundConfiguration>(configuration, int.MaxValue);
        }
        catch (MalformedMessageException e)
        {
            throw new InvalidRoundConfigurationException("Configuration", "a RoundConfiguration encoding", e.Message);
        }
        return RoundParameters.Create(decoded);
    }
}
