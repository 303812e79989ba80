using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Server;

namespace SecureFed.HeProtocol.Server;

/// <summary>
/// The HE round's server behind the host contract: the one engine, an <see cref="HeRoundRoot"/> and its
/// <see cref="HeRoundShard"/>s composed in process (<see cref="ShardedRoundServer"/>), one shard unless the host asks
/// for more; a cluster runs the same root and shards as grains. The states' refusals as they are, the sum as the
/// round's one vector, the contributors as survivors.
/// </summary>
public sealed class HeRoundServer : IRoundServer
{
    private readonly HeRoundParameters _parameters;
    private readonly ShardedRoundServer _server;

    /// <summary>A fresh round over <paramref name="parameters"/>, in one shard.</summary>
    public HeRoundServer(HeRoundParameters parameters)
        : this(parameters, 1)
    {
    }

    /// <summary>A fresh round over <paramref name="parameters"/>, its clients spread over <paramref name="shardCount"/>
    /// shards in this process (the messages and the result do not depend on the count).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is below 1.</exception>
    public HeRoundServer(HeRoundParameters parameters, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        var root = new HeRoundRoot(parameters, shardCount);
        _server = new ShardedRoundServer(root, [.. Enumerable.Range(0, shardCount).Select(i => new HeRoundShard(parameters, i, shardCount))]);
    }

    /// <summary>The root and shards this server composes.</summary>
    public ShardedRoundServer Composition => _server;

    /// <inheritdoc />
    public RoundScheme Scheme => RoundScheme.He;

    /// <inheritdoc />
    public ServerDelivery Delivery => ServerDelivery.LatestClose;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> RoundId => _parameters.Configuration.RoundId;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Configuration => _parameters.EncodedConfiguration;

    /// <inheritdoc />
    public IReadOnlyDictionary<uint, IdentityPublicKey> Identities => _parameters.Identities;

    /// <inheritdoc />
    public int Threshold => _parameters.Threshold;

    /// <inheritdoc />
    public int StageCount => _server.StageCount;

    /// <inheritdoc />
    public long MaxEnvelopeBytes => _server.MaxEnvelopeBytes;

    /// <inheritdoc />
    public RoundProgress? Progress => _server.Progress;

    /// <inheritdoc />
    public RoundEnd? End => _server.End;

    /// <inheritdoc />
    public uint? ClaimedSender(ReadOnlyMemory<byte> envelope) => _server.ClaimedSender(envelope);

    /// <inheritdoc />
    public MessageRejection? Handle(ReadOnlyMemory<byte> envelope) => _server.Handle(envelope);

    /// <inheritdoc />
    public StageClose Close() => _server.Close();

    /// <inheritdoc />
    public StageClose Abort(string detail) => _server.Abort(detail);
}
