using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Server;

namespace SecureFed.Protocol.Hosting;

/// <summary>
/// A round's <see cref="IRoundServer"/> over its <see cref="IRoundRoot"/>: the facts, the end, the claimed sender,
/// the progress and the operator's abort are the root's. A host says where envelopes and closes go and how many of
/// the open stage's envelopes its shards hold (in process: <see cref="ShardedRoundServer"/>; a cluster: its shard
/// grains).
/// </summary>
public abstract class RootedRoundServer : IRoundServer
{
    /// <summary>A server over <paramref name="root"/>.</summary>
    protected RootedRoundServer(IRoundRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = root;
    }

    /// <summary>The root (for hosts that read scheme-specific state from it).</summary>
    public IRoundRoot Root { get; }

    /// <inheritdoc />
    public RoundScheme Scheme => Root.Scheme;

    /// <inheritdoc />
    public ServerDelivery Delivery => Root.Delivery;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> RoundId => Root.RoundId;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Configuration => Root.Configuration;

    /// <inheritdoc />
    public IReadOnlyDictionary<uint, IdentityPublicKey> Identities => Root.Identities;

    /// <inheritdoc />
    public int Threshold => Root.Threshold;

    /// <inheritdoc />
    public int StageCount => Root.StageCount;

    /// <inheritdoc />
    public long MaxEnvelopeBytes => Root.MaxEnvelopeBytes;

    /// <inheritdoc />
    public RoundProgress? Progress => Root.Progress(ShardsReceived);

    /// <inheritdoc />
    public RoundEnd? End => Root.End;

    /// <summary>How many of the open stage's envelopes the shards accepted (their <see cref="IRoundShard.Received"/>
    /// added).</summary>
    protected abstract int ShardsReceived { get; }

    /// <inheritdoc />
    public uint? ClaimedSender(ReadOnlyMemory<byte> envelope) => Root.ClaimedSender(envelope);

    /// <inheritdoc />
    public abstract MessageRejection? Handle(ReadOnlyMemory<byte> envelope);

    /// <inheritdoc />
    public abstract StageClose Close();

    /// <inheritdoc />
    public StageClose Abort(string detail) => Root.Abort(detail);
}
