using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// The masking round's server behind the host contract: the one engine, a <see cref="SecAggRoundRoot"/> and its
/// <see cref="SecAggRoundShard"/>s composed in process (<see cref="ShardedRoundServer"/>), one shard unless the host
/// asks for more; a cluster runs the same root and shards as grains. The root also owns the one rule the state machine
/// leaves to its host: R0 closing with fewer than the operator's minimum of advertisements aborts the round
/// (<see cref="AbortReason.TooFewClients"/>), so that rule replays with the log like every other close.
/// </summary>
public sealed class SecAggRoundServer : IRoundServer
{
    private readonly RoundParameters _parameters;
    private readonly SecAggRoundRoot _root;
    private readonly ShardedRoundServer _server;

    /// <summary>A fresh round over <paramref name="parameters"/>, in one shard.</summary>
    /// <param name="parameters">The round.</param>
    /// <param name="minimumClients">Fewest R0 advertisements for the round to go on.</param>
    public SecAggRoundServer(RoundParameters parameters, int minimumClients)
        : this(parameters, minimumClients, 1)
    {
    }

    /// <summary>A fresh round over <paramref name="parameters"/>, its clients spread over <paramref name="shardCount"/>
    /// shards in this process (the messages and the result do not depend on the count).</summary>
    /// <param name="parameters">The round.</param>
    /// <param name="minimumClients">Fewest R0 advertisements for the round to go on.</param>
    /// <param name="shardCount">Shards, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is below 1.</exception>
    public SecAggRoundServer(RoundParameters parameters, int minimumClients, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        _root = new SecAggRoundRoot(parameters, minimumClients, shardCount);
        _server = new ShardedRoundServer(_root, [.. Enumerable.Range(0, shardCount).Select(i => new SecAggRoundShard(parameters, i, shardCount))]);
    }

    /// <summary>The root and shards this server composes.</summary>
    public ShardedRoundServer Composition => _server;

    /// <inheritdoc />
    public RoundScheme Scheme => RoundScheme.Masking;

    /// <inheritdoc />
    public ServerDelivery Delivery => ServerDelivery.OnePerStage;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> RoundId => _parameters.Configuration.RoundId;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Configuration => _parameters.EncodedConfiguration;

    /// <inheritdoc />
    public IReadOnlyDictionary<uint, IdentityPublicKey> Identities => _parameters.Identities;

    /// <inheritdoc />
    public int Threshold => _parameters.Threshold;

    /// <inheritdoc />
    public int StageCount => _root.StageCount;

    /// <inheritdoc />
    public long MaxEnvelopeBytes => _root.MaxEnvelopeBytes;

    /// <inheritdoc />
    public RoundProgress? Progress => _server.Progress;

    /// <inheritdoc />
    public RoundEnd? End => _server.End;

    /// <summary>The round's neighbour graph kind (from its configuration).</summary>
    public GraphKind Graph => _parameters.Configuration.Graph;

    /// <summary>Neighbours per client: the configured k for SecAgg+, roster size - 1 for the complete graph.</summary>
    public int GraphDegree => _parameters.Configuration.Graph == GraphKind.Harary ? _parameters.Configuration.GraphDegree : _parameters.Identities.Count - 1;

    /// <summary>The graph seed (secagg.md 6, <see cref="GraphPermutation.Seed"/>) once R0 closed and fixed the session id; null before.</summary>
    public byte[]? GraphSeed => _root.Context.SessionId is { } session ? GraphPermutation.Seed(session) : null;

    /// <inheritdoc />
    public uint? ClaimedSender(ReadOnlyMemory<byte> envelope) => _server.ClaimedSender(envelope);

    /// <inheritdoc />
    public MessageRejection? Handle(ReadOnlyMemory<byte> envelope) => _server.Handle(envelope);

    /// <inheritdoc />
    public StageClose Close() => _server.Close();

    /// <inheritdoc />
    public StageClose Abort(string detail) => _server.Abort(detail);
}
