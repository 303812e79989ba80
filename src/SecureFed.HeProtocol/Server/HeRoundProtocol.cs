using SecureFed.HeProtocol.Configuration;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Server;

/// <summary>Starts HE rounds' servers from their stored HeRoundConfiguration bytes (their floor of uploads is
/// the configuration's MinimumClients, so the host's minimum is not used): whole (<see cref="HeRoundServer"/>, one
/// shard) or as a root over S shards (<see cref="HeRoundRoot"/>, <see cref="HeRoundShard"/>), the same engine.</summary>
public sealed class HeRoundProtocol : IShardedRoundProtocol
{
    /// <inheritdoc />
    public IRoundServer Start(ReadOnlyMemory<byte> configuration, int minimumClients) => new HeRoundServer(Parameters(configuration));

    /// <inheritdoc />
    public IRoundRoot StartRoot(ReadOnlyMemory<byte> configuration, int minimumClients, int shardCount) =>
        new HeRoundRoot(Parameters(configuration), shardCount);

    /// <inheritdoc />
    public IRoundShard StartShard(ReadOnlyMemory<byte> configuration, int shard, int shardCount) =>
        new HeRoundShard(Parameters(configuration), shard, shardCount);

    private static HeRoundParameters Parameters(ReadOnlyMemory<byte> configuration)
    {
        HeRoundConfiguration decoded;
        try
        {
            decoded = MessageCodec.Decode<HeRoundConfiguration>(configuration, int.MaxValue);
        }
        catch (MalformedMessageException e)
        {
            throw new InvalidRoundConfigurationException("Configuration", "an HeRoundConfiguration encoding", e.Message);
        }
        return HeRoundParameters.Create(decoded);
    }
}
