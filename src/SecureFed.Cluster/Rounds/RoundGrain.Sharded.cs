using Microsoft.Extensions.Logging;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Rounds;
using SecureFed.Cluster.Storage;
using SecureFed.Protocol.Hosting;
using SecureFed.Transport;

namespace SecureFed.Cluster.Rounds;

// The round grain as the root of a sharded round: the root's events in stream 0 are the close decisions (with the
// shard reports they were made from) and their completions (with the shard results); the shards' own events are in
// their streams. A close runs in two logged steps so a silo lost in the middle costs a retry, never a wrong sum:
// Decided is durable before any shard applies the decision, and every shard call is idempotent per close.
internal sealed partial class RoundGrain
{
    private ShardedRound? _sharded;

    private IRoundServer StartServer(IHostedScheme scheme, ClusterRoundRow row)
    {
        if (row.ShardCount <= 1)
        {
            _sharded = null;
            return scheme.Protocol.Start(row.Configuration, row.MinimumClients);
        }
        if (scheme.Protocol is not IShardedRoundProtocol sharded)
        {
            throw new InvalidDataException($"round {Id} has {row.ShardCount} shards but its scheme {scheme.Scheme} does not shard");
        }
        _sharded = new ShardedRound(GrainFactory, Id, sharded.StartRoot(row.Configuration, row.MinimumClients, row.ShardCount));
        return _sharded.Server;
    }

    // The timer's first step for a sharded round: finish a decided close, else learn the shards' counts. False when
    // the tick has nothing more to do.
    private async Task<bool> RefreshShardsAsync(ShardedRound sharded)
    {
        if (sharded.Pending is not null || sharded.Closing)
        {
            await CloseShardedAsync(sharded, StageCloseCause.Resumed);
            return false;
        }
        try
        {
            await sharded.RefreshAsync();
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            // A shard's silo died and its grain is moving: the deadline check still runs on the last counts.
            LogShardsUnreachable(Id, "count", e.GetType().Name);
        }
        return true;
    }

    private async Task CloseShardedAsync(ShardedRound sharded, StageCloseCause cause)
    {
        RoundRuntime rt = _rt!;
        RoundProgress? progress = rt.Server.Progress;
        if (sharded.Pending is null)
        {
            byte[] reports;
            try
            {
                reports = await sharded.DecideAsync();
            }
            catch (Exception e) when (e is not InvalidDataException)
            {
                // Nothing is decided (the root decides only from all S reports): the next tick asks again.
                LogShardsUnreachable(Id, "report", e.GetType().Name);
                return;
            }
            if (!await AppendAsync(RoundLogKinds.Decided, reports))
            {
                return; // retired: the next activation replays the log, where this decision is not, and decides again
            }
        }
        (StageClose Close, byte[] Logged) done;
        try
        {
            done = await sharded.CompleteAsync();
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            // The decision is logged; the next tick repeats the idempotent apply/route steps (a moved shard replays).
            LogShardsUnreachable(Id, "apply", e.GetType().Name);
            return;
        }
        if (!await AppendCloseAsync(rt, done.Close, RoundLogKinds.Completed, done.Logged))
        {
            return; // retired; a DP round's charge was not committed either (RoundGrain.Ledger.cs)
        }
        rt.StageOpenedAtMs = NowMs;
        rt.ApplyClose(done.Close);
        _shared.Closed();
        LogStageClosed(Id, progress?.Label ?? "-", progress?.Received ?? 0, progress?.Expected ?? 0, cause.Label(), WireNames.Of(rt.Phase), silo.SiloAddress.ToString());
        if (done.Close.End is not null)
        {
            await EndedAsync(rt.Phase);
        }
    }

    private void ReplaySharded(RoundRuntime rt, RoundLogEvent e)
    {
        ShardedRound sharded = _sharded ?? throw new InvalidDataException($"round {Id}: log event {e.Sequence} is a sharded close in an unsharded round");
        if (e.Kind == RoundLogKinds.Decided)
        {
            sharded.ReplayDecided(e.Payload);
        }
        else
        {
            rt.ApplyClose(sharded.ReplayCompleted(e.Payload));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Round {RoundId}: a shard did not answer the {Step} step ({Error}); the next tick retries")]
    private partial void LogShardsUnreachable(string roundId, string step, string error);
}
