using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Server;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// The root side of a sharded round, for the round grain: the engine's <see cref="IRoundRoot"/> and the fan-out of a
/// close to the S shard grains (report → decide → apply → route → complete, each step to all shards at once with
/// <see cref="Task.WhenAll(IEnumerable{Task})"/>). The root only adds the shards' partial results; the per-client
/// arithmetic runs in the shard grains, on every silo. Not thread-safe: the round grain's turns own it.
/// </summary>
internal sealed class ShardedRound
{
    private readonly IGrainFactory _grains;
    private readonly string _roundHex;
    private readonly IRoundRoot _root;

    public ShardedRound(IGrainFactory grains, string roundHex, IRoundRoot root)
    {
        _grains = grains;
        _roundHex = roundHex;
        _root = root;
        Server = new RootServer(root);
    }

    /// <summary>The root as the <see cref="IRoundServer"/> the round's runtime reads (progress, facts, abort).</summary>
    public RootServer Server { get; }

    /// <summary>A close decided and logged but not yet completed (the grain finishes it before anything else).</summary>
    public StageDecision? Pending { get; private set; }

    /// <summary>Some shard may have reported (and so frozen) the open stage without a decision yet: the grain keeps
    /// closing until it decides, rather than wait for a count the frozen shards hold back.</summary>
    public bool Closing { get; private set; }

    public int ShardCount => _root.ShardCount;

    /// <summary>The grain key of shard <paramref name="shard"/> of round <paramref name="roundHex"/>.</summary>
    public static string ShardKey(string roundHex, int shard) => $"{roundHex}/{shard}";

    public IRoundShardGrain Shard(int shard) => _grains.GetGrain<IRoundShardGrain>(ShardKey(_roundHex, shard));

    /// <summary>The shard grain of <paramref name="clientId"/> (<see cref="ShardMap"/>).</summary>
    public IRoundShardGrain ShardOf(uint clientId) => Shard(ShardMap.ShardOf(_root.RoundId.Span, clientId, _root.ShardCount));

    /// <summary>Asks every shard how many of its clients sent the open stage's message.</summary>
    public async Task RefreshAsync()
    {
        if (_root.End is not null || Pending is not null || _root.OpenClose is not int close)
        {
            return;
        }
        int[] counts = await Task.WhenAll(Enumerable.Range(0, ShardCount).Select(i => Shard(i).Received(close)));
        Server.Received = counts.Sum(c => Math.Max(c, 0));
    }

    /// <summary>Collects every shard's report of the open stage and decides the close; returns the reports' bytes,
    /// which the grain logs (<see cref="RoundLogKinds.Decided"/>) before any shard applies the decision.</summary>
    public async Task<byte[]> DecideAsync()
    {
        int close = _root.OpenClose ?? throw new InvalidOperationException("no stage is open");
        Closing = true;
        byte[][] replies = await Task.WhenAll(Enumerable.Range(0, ShardCount).Select(i => Shard(i).Report(close)));
        ShardReport[] reports = [.. replies.Select(r => ShardCodec.ReadReport(r))];
        byte[] logged = ShardCodec.Reports(reports);
        Pending = _root.Decide(reports);
        Closing = false;
        Server.Received = 0;
        return logged;
    }

    /// <summary>Has every shard apply the pending decision, routes their batches, and completes the close from the
    /// S results. Each shard call is idempotent, so a close interrupted by a lost silo is finished by calling again.
    /// Returns the close and the results' bytes, which the grain logs (<see cref="RoundLogKinds.Completed"/>).</summary>
    public async Task<(StageClose Close, byte[] Logged)> CompleteAsync()
    {
        StageDecision decision = Pending ?? throw new InvalidOperationException("no close is decided");
        byte[] encoded = ShardCodec.Decision(decision);
        byte[][] replies = await Task.WhenAll(Enumerable.Range(0, ShardCount).Select(i => Shard(i).Apply(encoded)));
        ShardStep[] steps = [.. replies.Select(r => ShardCodec.ReadStep(r))];
        var results = new ShardResult?[ShardCount];
        for (int i = 0; i < steps.Length; i++)
        {
            results[i] = steps[i].Result;
        }
        IGrouping<int, ShardBatch>[] inbound = [.. steps.SelectMany(s => s.Batches).GroupBy(b => b.To)];
        if (inbound.Length > 0)
        {
            byte[][] received = await Task.WhenAll(inbound.Select(g => Shard(g.Key).Receive(decision.Close, ShardCodec.Batches([.. g]))));
            for (int i = 0; i < inbound.Length; i++)
            {
                results[inbound[i].Key] = ShardCodec.ReadResult(received[i]) ?? results[inbound[i].Key];
            }
        }
        if (results.Any(r => r is null))
        {
            throw new InvalidOperationException("a shard did not complete its close after every batch arrived");
        }
        ShardResult[] complete = results!;
        byte[] logged = ShardCodec.Results(complete);
        StageClose close = _root.Complete(complete);
        Pending = null;
        Server.Received = 0;
        return (close, logged);
    }

    /// <summary>Replays a logged <see cref="RoundLogKinds.Decided"/>.</summary>
    public void ReplayDecided(ReadOnlyMemory<byte> reports) => Pending = _root.Decide(ShardCodec.ReadReports(reports));

    /// <summary>Replays a logged <see cref="RoundLogKinds.Completed"/>.</summary>
    public StageClose ReplayCompleted(ReadOnlyMemory<byte> results)
    {
        StageClose close = _root.Complete(ShardCodec.ReadResults(results));
        Pending = null;
        return close;
    }

    /// <summary>Tells the shards the round ended (best effort: a shard that misses it reads the end from the catalog
    /// when it activates again, and after a normal end its engine refuses every envelope anyway).</summary>
    public async Task NotifyEndedAsync()
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, ShardCount).Select(i => Shard(i).Ended()));
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // see above
        }
    }

    /// <summary>
    /// The root behind <see cref="IRoundServer"/> for the round's runtime: its facts, its progress with the shards'
    /// received counts, the operator's abort. Envelopes and closes go through the shard grains, never here.
    /// </summary>
    internal sealed class RootServer(IRoundRoot root) : RootedRoundServer(root)
    {
        /// <summary>The shards' received counts for the open stage, as last asked.</summary>
        public int Received { get; set; }

        protected override int ShardsReceived => Received;

        public override MessageRejection? Handle(ReadOnlyMemory<byte> envelope) =>
            throw new InvalidOperationException("a sharded round's envelopes go to its shard grains");

        public override StageClose Close() => throw new InvalidOperationException("a sharded round closes through its shard grains");
    }
}
