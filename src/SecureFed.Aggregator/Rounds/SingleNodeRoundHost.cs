using SecureFed.Aggregator.Http;
using SecureFed.Aggregator.Storage;
using SecureFed.Aggregator.Transcripts;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// The single node's round host: the endpoints' <see cref="IRoundHost"/> over the in-process
/// <see cref="RoundCoordinator"/> and its SQLite stores, unchanged (every call is the coordinator's own).
/// </summary>
internal sealed class SingleNodeRoundHost(RoundCoordinator rounds, RoundStore store) : IRoundHost
{
    public Task<(string RoundId, byte[] File)> TranscriptAsync(string roundId, Func<TranscriptSigningKey> key, CancellationToken ct)
    {
        RoundRuntime rt = rounds.Get(roundId);
        return Task.FromResult((rt.Id, RoundTranscriptExport.Build(rt, rounds.SchemeOf(rt), store, key)));
    }

    public Task<HostedRound> FindAsync(string roundId, CancellationToken ct)
    {
        RoundRuntime rt = rounds.Get(roundId);
        return Task.FromResult(new HostedRound(rt.Id, rt.Federation, rt.Server.Delivery, rt.Server.StageCount, rt.Server.MaxEnvelopeBytes, rt.ClientIdsByKey));
    }

    public async Task<byte[]> InfoAsync(HostedRound round, CancellationToken ct)
    {
        RoundRuntime rt = rounds.Get(round.Id);
        await rounds.EnsureReadableAsync(rt, ct).ConfigureAwait(false);
        return rt.InfoBytes(() => EncodeInfo(rt));
    }

    public Task<SubmitOutcome> SubmitAsync(HostedRound round, uint clientId, byte[] envelope, CancellationToken ct) =>
        rounds.SubmitAsync(rounds.Get(round.Id), clientId, envelope, ct);

    public Task<PollOutcome> PollStageAsync(HostedRound round, uint clientId, int stage, TimeSpan wait, CancellationToken ct)
    {
        RoundRuntime rt = rounds.Get(round.Id);
        return rounds.PollAsync(rt, () => rt.LookupStage(clientId, stage), o => o.Ready, o => o.Bytes, wait, ct);
    }

    public Task<byte[]?> PollCloseAsync(HostedRound round, uint clientId, int close, TimeSpan wait, CancellationToken ct)
    {
        RoundRuntime rt = rounds.Get(round.Id);
        return rounds.PollAsync(rt, () => rt.LookupClose(clientId, close), d => d is not null, d => d, wait, ct);
    }

    public Task<byte[]?> PollResultAsync(HostedRound round, TimeSpan wait, CancellationToken ct)
    {
        RoundRuntime rt = rounds.Get(round.Id);
        return rounds.PollAsync(rt, () => rt.End is { } end ? EncodeResult(rt.Id, end) : null, b => b is not null, b => b, wait, ct);
    }

    public Task<RoundStatus> OpenAsync(OpenRoundRequest request, CancellationToken ct) =>
        rounds.DescribeAsync(rounds.Open(request), includeSums: false, ct);

    public async Task<IReadOnlyList<RoundStatus>> ListAsync(CancellationToken ct)
    {
        var list = new List<RoundStatus>();
        foreach (RoundRuntime rt in rounds.Rounds)
        {
            list.Add(await rounds.DescribeAsync(rt, includeSums: false, ct).ConfigureAwait(false));
        }
        return list;
    }

    public async Task<RoundStatus> DescribeAsync(string roundId, bool includeSums, CancellationToken ct)
    {
        RoundRuntime rt = rounds.Get(roundId);
        await rounds.SettledAsync(rt, ct).ConfigureAwait(false);
        return await rounds.DescribeAsync(rt, includeSums, ct).ConfigureAwait(false);
    }

    public async Task<RoundStatus> AbortAsync(string roundId, string detail, CancellationToken ct)
    {
        RoundRuntime rt = rounds.Get(roundId);
        await rounds.AbortAsync(rt, detail, ct).ConfigureAwait(false);
        return await rounds.DescribeAsync(rt, includeSums: false, ct).ConfigureAwait(false);
    }

    public Task<(int Running, int Rounds)> CountAsync(CancellationToken ct) => Task.FromResult((rounds.Running, (int)rounds.Count));

    public Task<uint[]> EnrolAsync(string federation, IReadOnlyList<byte[]> keys, long nowMs, CancellationToken ct) =>
        Task.FromResult(rounds.Roster.Enrol(federation, keys, nowMs));

    public Task<bool> RevokeAsync(string federation, uint clientId, CancellationToken ct) => Task.FromResult(rounds.Roster.Revoke(federation, clientId));

    public Task<byte[]> CreateTokenAsync(string federation, long expiresMs, CancellationToken ct) => Task.FromResult(rounds.Roster.CreateToken(federation, expiresMs));

    public Task<(string Federation, uint ClientId)> RedeemAsync(byte[] token, byte[] key, long nowMs, CancellationToken ct) =>
        Task.FromResult(rounds.Roster.Redeem(token, key, nowMs));

    public Task<bool> IsRevokedAsync(string federation, byte[] key, CancellationToken ct) => Task.FromResult(rounds.Roster.IsRevoked(federation, key));

    /// <summary>The RoundInfo of a round in its current state (shared by both hosts: the same wire answer).</summary>
    internal static byte[] EncodeInfo(RoundRuntime rt) => MessageCodec.Encode(new RoundInfo
    {
        Scheme = WireNames.Of(rt.Server.Scheme),
        Configuration = rt.Server.Configuration.ToArray(),
        Stage = rt.End is null && rt.Server.Progress is { } p ? p.Stage : -1,
        Status = WireNames.Of(rt.Phase),
        StageDeadlineUnixMs = rt.StageDeadlineMs,
        Closes = rt.Closes,
    });

    /// <summary>The result answer of an ended round (<c>GET /v1/rounds/{id}/result</c>).</summary>
    /// <exception cref="AggregatorProblemException">409 round-not-completed for an aborted round.</exception>
    internal static byte[] EncodeResult(string roundId, RoundEnd end) => end.Result is { } r
        ? MessageCodec.Encode(new RoundResultInfo { Sums = [.. r.Sums], Survivors = [.. r.Survivors] })
        : throw new AggregatorProblemException(ProblemCode.RoundNotCompleted, $"round {roundId} was aborted ({end.Abort?.ReasonName}): it has no result");
}
