using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using SecureFed.Aggregator.Hosting;
using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Protocols;
using SecureFed.Aggregator.Rounds;
using SecureFed.Aggregator.Storage;
using SecureFed.Aggregator.Transcripts;
using SecureFed.Cluster.Hosting;
using SecureFed.Cluster.Storage;
using SecureFed.Privacy.Ledger;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Server;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// The front end of every silo: the endpoints' <see cref="IRoundHost"/> over the cluster's grains, so any silo serves
/// any client of any round (no sticky sessions). A round's fixed facts (configuration, roster keys, limits) are
/// cached per silo; everything that changes is asked of the round's grain. A grain or PostgreSQL that cannot answer
/// becomes <c>503 storage-unavailable</c> with Retry-After: nothing was acknowledged, the client retries.
/// </summary>
internal sealed partial class ClusterRoundHost(IGrainFactory grains, HostedSchemes schemes, RoundCatalog catalog, ClusterPrivacyBudgets budgets,
    ClusterTranscripts transcripts, IOptions<AggregatorOptions> options, IOptions<ClusterRoundOptions> clusterOptions, TimeProvider time,
    ILogger<ClusterRoundHost> logger) : IRoundHost
{
    // A grain call waits at most this long per long-poll step (below Orleans' response timeout); the front end loops.
    private static readonly TimeSpan PollStep = TimeSpan.FromSeconds(4);

    // How long a silo serves a federation's revoked keys from its cache: a revocation reaches every silo within it.
    private static readonly TimeSpan RevokedCacheTime = TimeSpan.FromSeconds(2);

    // Bounded as the single node's ended rounds are (docs/hosting.md, Limits): a silo that served thousands of rounds
    // holds the facts of the recently used ones only; an evicted round's facts come back from its grain.
    private readonly BoundedRoundCache<CachedRound> _rounds = new(options.Value.MaxRunningRounds + options.Value.EndedRoundsInMemory);
    private readonly ConcurrentDictionary<string, (long AtMs, HashSet<string> Keys)> _revoked = new(StringComparer.Ordinal);

    public async Task<HostedRound> FindAsync(string roundId, CancellationToken ct) => (await FindCachedAsync(roundId).ConfigureAwait(false)).Round;

    public async Task<byte[]> InfoAsync(HostedRound round, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(round);
        CachedRound cached = await FindCachedAsync(round.Id).ConfigureAwait(false);
        RoundState state = await CallAsync(() => Grain(round.Id).State()).ConfigureAwait(false);
        ThrowIfUnavailable(state.Unavailable);
        return cached.Info(state);
    }

    public async Task<SubmitOutcome> SubmitAsync(HostedRound round, uint clientId, byte[] envelope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(round);
        // A sharded round's envelope goes straight to its sender's shard grain (the request's signer: an envelope
        // naming another sender is refused there), so the round grain's silo does not see the round's uploads.
        CachedRound cached = await FindCachedAsync(round.Id).ConfigureAwait(false);
        SubmitReply reply = await CallAsync(() => cached.ShardCount > 1
            ? grains.GetGrain<IRoundShardGrain>(ShardedRound.ShardKey(round.Id, ShardMap.ShardOf(cached.RoundId, clientId, cached.ShardCount))).Submit(clientId, envelope)
            : Grain(round.Id).Submit(clientId, envelope)).ConfigureAwait(false);
        return reply.Fate switch
        {
            SubmitFate.Stored => SubmitOutcome.Stored,
            SubmitFate.AlreadyStored => SubmitOutcome.Resent,
            SubmitFate.Refused => SubmitOutcome.Refused(new MessageRejection((RejectionReason)reply.RejectionReason, reply.Detail ?? "")),
            SubmitFate.SenderMismatch => throw new AggregatorProblemException(ProblemCode.SenderMismatch,
                $"the envelope names client {reply.ClaimedSender} but the request is signed by client {clientId}"),
            _ => throw Unavailable(reply.Detail),
        };
    }

    public async Task<PollOutcome> PollStageAsync(HostedRound round, uint clientId, int stage, TimeSpan wait, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(round);
        long until = NowMs + (long)wait.TotalMilliseconds;
        while (true)
        {
            TimeSpan step = Step(until);
            StagePollReply reply = await CallAsync(() => Grain(round.Id).PollStage(clientId, stage, step)).ConfigureAwait(false);
            ThrowIfUnavailable(reply.Unavailable);
            if (reply.Bytes is not null || reply.SharedDigest is not null)
            {
                if (await SharedAsync(round.Id, reply.Bytes, reply.SharedDigest).ConfigureAwait(false) is { } bytes)
                {
                    return PollOutcome.Message(bytes);
                }
                continue; // the grain no longer holds that shared answer: ask again
            }
            if (reply.GoneCode is { } gone)
            {
                return PollOutcome.Gone((ProblemCode)gone, reply.GoneDetail ?? "");
            }
            if (NowMs >= until || ct.IsCancellationRequested)
            {
                return PollOutcome.NotReady;
            }
        }
    }

    public async Task<byte[]?> PollCloseAsync(HostedRound round, uint clientId, int close, TimeSpan wait, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(round);
        return await PollBytesAsync(round.Id, wait, ct, step => Grain(round.Id).PollClose(clientId, close, step)).ConfigureAwait(false);
    }

    public async Task<byte[]?> PollResultAsync(HostedRound round, TimeSpan wait, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(round);
        return await PollBytesAsync(round.Id, wait, ct, step => Grain(round.Id).PollResult(step)).ConfigureAwait(false);
    }

    public async Task<RoundStatus> OpenAsync(OpenRoundRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        RosterStore.ValidateFederationName(request.Federation);
        IHostedScheme scheme = schemes.Named(request.Scheme);
        if (await CallAsync(() => catalog.CountRunningAsync(ct)).ConfigureAwait(false) >= options.Value.MaxRunningRounds)
        {
            throw new AggregatorProblemException(ProblemCode.TooManyRounds, $"{options.Value.MaxRunningRounds} rounds are already running");
        }
        RosterReply roster = await CallAsync(() => grains.GetGrain<IFederationGrain>(request.Federation).ActiveRoster()).ConfigureAwait(false);
        if (roster.ClientIds.Length < 2)
        {
            throw new AggregatorProblemException(ProblemCode.RosterTooSmall,
                $"federation '{request.Federation}' has {roster.ClientIds.Length} enrolled client(s); a round needs at least 2");
        }
        RosterEntry[] entries = [.. roster.ClientIds.Select((id, i) => new RosterEntry { ClientId = id, IdentityKey = roster.Keys[i] })];
        // The ledger is read only for a DP round (its budget's delta is the plan's default).
        PrivacyLedger? ledger = request.Dp is null ? null : await CallAsync(() => budgets.FindAsync(request.Federation, ct)).ConfigureAwait(false);
        RoundEncoding? encoding = request.Float is null && request.Dp is null ? null
            : FloatRounds.Encoding(request, entries.Length, scheme.FewestSurvivors(request, entries.Length), scheme.MinimumBits, _ => ledger);
        (IRoundServer server, int minimumClients) = scheme.Open(request, entries, encoding);
        long[] deadlines = RoundDeadlines.Parse(request, server.StageCount);
        QuietCloseRule? quiet = QuietCloseRule.Parse(request, server.StageCount);
        string id = RoundIds.Format(server.RoundId.Span);
        int shards = scheme.Protocol is IShardedRoundProtocol ? await ShardCountAsync().ConfigureAwait(false) : 1;
        var opening = new RoundOpening((int)scheme.Scheme, request.Federation, server.Configuration.ToArray(), minimumClients, deadlines, encoding?.PlainBytes,
            shards, encoding?.DpBytes, quiet?.ToStored());
        RoundFacts facts = await CallAsync(() => encoding?.Dp is { } dp
                ? budgets.AdmitAsync(request.Federation, dp, () => Grain(id).Open(opening), ct)
                : Grain(id).Open(opening)).ConfigureAwait(false)
            ?? throw new AggregatorProblemException(ProblemCode.InternalError, $"round id {id} is taken; open again");
        Remember(id, facts);
        LogOpened(id, WireNames.Of(scheme.Scheme), request.Federation, entries.Length, server.Threshold, shards);
        return await DescribeAsync(id, includeSums: false, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RoundStatus>> ListAsync(CancellationToken ct)
    {
        IReadOnlyList<(byte[] RoundId, bool Running)> ids = await CallAsync(() => catalog.ListAsync(ct)).ConfigureAwait(false);
        return await Task.WhenAll(ids.Select(r => DescribeAsync(RoundIds.Format(r.RoundId), includeSums: false, ct))).ConfigureAwait(false);
    }

    public async Task<RoundStatus> DescribeAsync(string roundId, bool includeSums, CancellationToken ct)
    {
        string id = CheckId(roundId);
        string json = await CallAsync(() => Grain(id).Describe(includeSums)).ConfigureAwait(false)
            ?? throw new AggregatorProblemException(ProblemCode.UnknownRound, $"no round {roundId}");
        RoundStatus status = JsonSerializer.Deserialize<RoundStatus>(json, AdminJson.Options)!;
        if (status.Encoding is { Kind: "dp" } encoding && await CallAsync(() => budgets.FindAsync(status.Federation, ct)).ConfigureAwait(false) is { } ledger)
        {
            // The grain knows the round, the ledger is the federation's: its figures as committed now.
            encoding.FederationSpentEpsilon = ledger.SpentEpsilon;
            encoding.FederationRemainingEpsilon = ledger.RemainingEpsilon;
        }
        return status;
    }

    public async Task<RoundStatus> AbortAsync(string roundId, string detail, CancellationToken ct)
    {
        HostedRound round = await FindAsync(roundId, ct).ConfigureAwait(false);
        if (!await CallAsync(() => Grain(round.Id).Abort(detail)).ConfigureAwait(false))
        {
            throw Unavailable("the abort could not be stored");
        }
        return await DescribeAsync(round.Id, includeSums: false, ct).ConfigureAwait(false);
    }

    public async Task<(string RoundId, byte[] File)> TranscriptAsync(string roundId, Func<TranscriptSigningKey> key, CancellationToken ct)
    {
        string id = CheckId(roundId);
        return (id, await CallAsync(() => transcripts.BuildAsync(id, key, ct)).ConfigureAwait(false));
    }

    public async Task<(int Running, int Rounds)> CountAsync(CancellationToken ct)
    {
        IReadOnlyList<(byte[] RoundId, bool Running)> ids = await CallAsync(() => catalog.ListAsync(ct)).ConfigureAwait(false);
        return (ids.Count(r => r.Running), ids.Count);
    }

    public async Task<uint[]> EnrolAsync(string federation, IReadOnlyList<byte[]> keys, long nowMs, CancellationToken ct)
    {
        RosterStore.ValidateFederationName(federation);
        EnrolReply reply = await CallAsync(() => grains.GetGrain<IFederationGrain>(federation).Enrol([.. keys], nowMs)).ConfigureAwait(false);
        return reply.RevokedKeyHex is { } revoked
            ? throw new AggregatorProblemException(ProblemCode.Revoked, $"the key {revoked} was revoked in federation '{federation}'", status: 409)
            : reply.Ids;
    }

    public async Task<bool> RevokeAsync(string federation, uint clientId, CancellationToken ct)
    {
        RosterStore.ValidateFederationName(federation);
        bool revoked = await CallAsync(() => grains.GetGrain<IFederationGrain>(federation).Revoke(clientId)).ConfigureAwait(false);
        _revoked.TryRemove(federation, out _);
        return revoked;
    }

    public async Task<byte[]> CreateTokenAsync(string federation, long expiresMs, CancellationToken ct)
    {
        RosterStore.ValidateFederationName(federation);
        byte[] token = RandomNumberGenerator.GetBytes(32);
        await CallAsync(() => TokenGrain(token).Create(federation, expiresMs)).ConfigureAwait(false);
        return token;
    }

    public async Task<(string Federation, uint ClientId)> RedeemAsync(byte[] token, byte[] key, long nowMs, CancellationToken ct)
    {
        RedeemReply reply = await CallAsync(() => TokenGrain(token).Redeem(key, nowMs)).ConfigureAwait(false);
        if (reply.RevokedKeyHex is { } revoked)
        {
            throw new AggregatorProblemException(ProblemCode.Revoked, $"the key {revoked} was revoked in federation '{reply.Federation}'", status: 409);
        }
        return reply.Federation is { } federation
            ? (federation, reply.ClientId)
            : throw new AggregatorProblemException(ProblemCode.InvalidToken, "the enrolment token is unknown, used or expired");
    }

    public async Task<bool> IsRevokedAsync(string federation, byte[] key, CancellationToken ct)
    {
        long now = NowMs;
        if (!_revoked.TryGetValue(federation, out var cached) || now - cached.AtMs > RevokedCacheTime.TotalMilliseconds)
        {
            byte[][] keys = await CallAsync(() => grains.GetGrain<IFederationGrain>(federation).RevokedKeys()).ConfigureAwait(false);
            cached = (now, new HashSet<string>(keys.Select(Convert.ToHexStringLower), StringComparer.Ordinal));
            _revoked[federation] = cached;
        }
        return cached.Keys.Contains(Convert.ToHexStringLower(key));
    }

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    // The configured shard count, or one per active silo (asked of the cluster's management grain when a round opens).
    private async Task<int> ShardCountAsync()
    {
        if (clusterOptions.Value.Shards > 0)
        {
            return clusterOptions.Value.ShardsFor(0);
        }
        Dictionary<SiloAddress, SiloStatus> hosts = await CallAsync(() => grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).ConfigureAwait(false);
        return clusterOptions.Value.ShardsFor(hosts.Count);
    }

    private IRoundGrain Grain(string id) => grains.GetGrain<IRoundGrain>(id);

    private IEnrolmentTokenGrain TokenGrain(byte[] token) => grains.GetGrain<IEnrolmentTokenGrain>(Convert.ToHexStringLower(SHA256.HashData(token)));

    private TimeSpan Step(long untilMs) => TimeSpan.FromMilliseconds(Math.Clamp(untilMs - NowMs, 0, PollStep.TotalMilliseconds));

    private async Task<byte[]?> PollBytesAsync(string roundId, TimeSpan wait, CancellationToken ct, Func<TimeSpan, Task<BytesPollReply>> poll)
    {
        long until = NowMs + (long)wait.TotalMilliseconds;
        while (true)
        {
            TimeSpan step = Step(until);
            BytesPollReply reply = await CallAsync(() => poll(step)).ConfigureAwait(false);
            ThrowIfUnavailable(reply.Unavailable);
            if (reply.Refused is { } refused)
            {
                throw new AggregatorProblemException(ProblemCode.RoundNotCompleted, refused);
            }
            byte[]? bytes = await SharedAsync(roundId, reply.Bytes, reply.SharedDigest).ConfigureAwait(false);
            if (bytes is not null || NowMs >= until || ct.IsCancellationRequested)
            {
                return bytes;
            }
        }
    }

    // A poll answer as the grain sent it: inline bytes (kept when they carry a digest), or a large shared answer by
    // digest, taken from this silo's cache or fetched once for all of its pollers. Null: the grain no longer holds it.
    private async Task<byte[]?> SharedAsync(string roundId, byte[]? bytes, byte[]? digest)
    {
        if (digest is null)
        {
            return bytes;
        }
        CachedRound cached = await FindCachedAsync(roundId).ConfigureAwait(false);
        string key = Convert.ToHexString(digest);
        if (bytes is not null)
        {
            cached.Keep(key, bytes);
            return bytes;
        }
        Task<byte[]?> fetch = cached.Fetch(key, () => CallAsync(() => Grain(roundId).Shared(digest)));
        try
        {
            return await fetch.ConfigureAwait(false) ?? cached.Drop(key);
        }
        catch (AggregatorProblemException)
        {
            cached.Drop(key);
            throw;
        }
    }

    private async Task<CachedRound> FindCachedAsync(string roundId)
    {
        string id = CheckId(roundId);
        if (_rounds.TryGet(id, out CachedRound? cached))
        {
            return cached!;
        }
        RoundFacts facts = await CallAsync(() => Grain(id).Facts()).ConfigureAwait(false);
        ThrowIfUnavailable(facts.Unavailable);
        return facts.Configuration is null ? throw UnknownRound(roundId) : Remember(id, facts);
    }

    private CachedRound Remember(string id, RoundFacts facts)
    {
        var keys = new Dictionary<string, uint>(facts.ClientIds.Length, StringComparer.Ordinal);
        for (int i = 0; i < facts.ClientIds.Length; i++)
        {
            keys[Convert.ToHexStringLower(facts.IdentityKeys[i])] = facts.ClientIds[i];
        }
        var round = new HostedRound(id, facts.Federation, (ServerDelivery)facts.Delivery, facts.StageCount, facts.MaxEnvelopeBytes, keys);
        return _rounds.GetOrAdd(id, () => new CachedRound(round, facts))!;
    }

    private static string CheckId(string roundId) =>
        RoundIds.TryParse(roundId, out byte[] bytes) ? RoundIds.Format(bytes) : throw UnknownRound(roundId);

    private static AggregatorProblemException UnknownRound(string roundId) => new(ProblemCode.UnknownRound, $"no round {roundId}");

    private static void ThrowIfUnavailable(string? why)
    {
        if (why is not null)
        {
            throw Unavailable(why);
        }
    }

    private static AggregatorProblemException Unavailable(string? why) =>
        new(ProblemCode.StorageUnavailable, why ?? "the round could not be reached; retry");

    // Any failure to reach a grain or PostgreSQL (a silo that died, a database that is down, a timeout) is a 503 the
    // client retries: nothing was acknowledged. Typed refusals pass through.
    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not AggregatorProblemException and not OperationCanceledException and not ArgumentException)
        {
            LogUnavailable(e.GetType().Name, e.Message);
            throw Unavailable(null);
        }
    }

    private async Task CallAsync(Func<Task> call) => await CallAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "Round {RoundId} opened on the cluster: {Scheme}, federation {Federation}, {Clients} clients, threshold {Threshold}, {Shards} shard(s)")]
    private partial void LogOpened(string roundId, string scheme, string federation, int clients, int threshold, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A grain or the database did not answer ({Error}: {Detail}); answered 503")]
    private partial void LogUnavailable(string error, string detail);

    // A round's facts, its latest encoded RoundInfo (shared by every caller while the round's state is the same:
    // the configuration holds the whole roster, see RoundRuntime.InfoBytes) and its large shared poll answers by
    // SHA-256 (the grain's SharedAnswers; immutable, so a digest always names the same bytes).
    private sealed class CachedRound(HostedRound round, RoundFacts facts)
    {
        // A close brings one or two shared answers: a few closes' worth, then start over.
        private const int MaxShared = 8;

        private readonly ConcurrentDictionary<string, Task<byte[]?>> _shared = new(StringComparer.Ordinal);
        private volatile Tuple<RoundState, byte[]>? _info;

        public HostedRound Round { get; } = round;

        public int ShardCount { get; } = facts.ShardCount;

        public byte[] RoundId { get; } = Convert.FromHexString(round.Id);

        public void Keep(string digest, byte[] bytes)
        {
            Bound();
            _shared.TryAdd(digest, Task.FromResult<byte[]?>(bytes));
        }

        public Task<byte[]?> Fetch(string digest, Func<Task<byte[]?>> fetch)
        {
            if (_shared.TryGetValue(digest, out Task<byte[]?>? known))
            {
                return known;
            }
            Bound();
            return _shared.GetOrAdd(digest, _ => fetch());
        }

        // A fetch that failed or found nothing is not kept: the next poll asks again.
        public byte[]? Drop(string digest)
        {
            _shared.TryRemove(digest, out _);
            return null;
        }

        private void Bound()
        {
            if (_shared.Count >= MaxShared)
            {
                _shared.Clear();
            }
        }

        public byte[] Info(RoundState state)
        {
            var key = state with { Unavailable = null };
            if (_info is { } cached && cached.Item1 == key)
            {
                return cached.Item2;
            }
            byte[] bytes = MessageCodec.Encode(new RoundInfo
            {
                Scheme = WireNames.Of((RoundScheme)facts.Scheme),
                Configuration = facts.Configuration!,
                Stage = state.Stage,
                Status = WireNames.Of((RoundPhase)state.Phase),
                StageDeadlineUnixMs = state.StageDeadlineMs,
                Closes = state.Closes,
            });
            _info = Tuple.Create(key, bytes);
            return bytes;
        }
    }
}
