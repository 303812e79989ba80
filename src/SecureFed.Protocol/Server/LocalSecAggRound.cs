using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

// The root and one shard in process for the ServerState view (the state machine's public face): the same close steps
// as ShardedRoundServer, with the shard's messages kept typed, so the view neither encodes nor decodes them.
internal sealed class LocalSecAggRound(RoundParameters parameters)
{
    public SecAggRoundRoot Root { get; } = new(parameters, 0, 1);

    public SecAggRoundShard Shard { get; } = new(parameters, 0, 1);

    public int Closes { get; private set; }

    public List<OutgoingMessage> Close()
    {
        StageDecision decision = Root.Decide([Shard.Report()]);
        foreach (ShardBatch batch in Shard.ApplyCore(decision))
        {
            Shard.ReceiveCore(batch);
        }
        SecAggRoundShard.Completed done = Shard.LastCompleted ?? throw new InvalidOperationException("the shard did not complete its close");
        Closes++;
        return Root.CompleteTyped([(done.Messages, done.Partial, done.Failure)]);
    }

    // The view of the round's state now.
    public ServerState State() => Root.End switch
    {
        { Result: { } r } => new ServerCompletedState(this, new AggregationResult(r.Sums, r.Survivors, r.Dropped)),
        { Abort: { } a } => new ServerAbortedState(this, (AbortReason)a.Reason, a.Detail),
        _ => Root.Stage switch
        {
            ProtocolStage.AdvertiseKeys => new ServerR0AdvertiseKeysState(this),
            ProtocolStage.ShareKeys => new ServerR1ShareKeysState(this),
            ProtocolStage.MaskedInputCollection => new ServerR2MaskedInputState(this),
            ProtocolStage.ConsistencyCheck => new ServerR3ConsistencyCheckState(this),
            _ => new ServerR4UnmaskingState(this),
        },
    };
}
