using SecureFed.Transport.Admin;

namespace SecureFed.Aggregator.Rounds;

/// <summary>
/// Where the HTTP front end's rounds and rosters live: the seam between the endpoints (the same on a single node and on
/// every silo of a cluster) and the host that runs the round engine (<see cref="Protocol.Hosting.IRoundServer"/>).
/// The single node implements it over <see cref="RoundCoordinator"/> and SQLite (<see cref="SingleNodeRoundHost"/>);
/// the cluster (SecureFed.Cluster) over Orleans grains and PostgreSQL. Every answer that acknowledges a change
/// (a stored envelope, an enrolment, an open) returns only after the change is durable in the host's store.
/// </summary>
internal interface IRoundHost
{
    /// <summary>The round's fixed facts (roster keys, limits, delivery) that a request is checked against.</summary>
    /// <exception cref="Http.AggregatorProblemException">404 unknown-round.</exception>
    Task<HostedRound> FindAsync(string roundId, CancellationToken ct);

    /// <summary>The encoded <c>GET /v1/rounds/{id}</c> answer for the round's current state.</summary>
    Task<byte[]> InfoAsync(HostedRound round, CancellationToken ct);

    /// <summary>Handles one envelope from a roster member; returns only after an accepted envelope is durable.</summary>
    /// <exception cref="Http.AggregatorProblemException">409 sender-mismatch; 503 storage-unavailable (nothing stored).</exception>
    Task<SubmitOutcome> SubmitAsync(HostedRound round, uint clientId, byte[] envelope, CancellationToken ct);

    /// <summary>Waits up to <paramref name="wait"/> for the client's message of <paramref name="stage"/> (per-stage delivery).</summary>
    Task<PollOutcome> PollStageAsync(HostedRound round, uint clientId, int stage, TimeSpan wait, CancellationToken ct);

    /// <summary>Waits up to <paramref name="wait"/> for the client's delivery from close <paramref name="close"/> on (per-close delivery); null when none yet.</summary>
    Task<byte[]?> PollCloseAsync(HostedRound round, uint clientId, int close, TimeSpan wait, CancellationToken ct);

    /// <summary>Waits up to <paramref name="wait"/> for the encoded result of a completed round; null while it runs.</summary>
    /// <exception cref="Http.AggregatorProblemException">409 round-not-completed once it was aborted.</exception>
    Task<byte[]?> PollResultAsync(HostedRound round, TimeSpan wait, CancellationToken ct);

    /// <summary>Opens a round of the request's scheme over the federation's current roster.</summary>
    Task<RoundStatus> OpenAsync(OpenRoundRequest request, CancellationToken ct);

    /// <summary>Every round the host knows, without sums.</summary>
    Task<IReadOnlyList<RoundStatus>> ListAsync(CancellationToken ct);

    /// <summary>The round as the operator sees it.</summary>
    /// <exception cref="Http.AggregatorProblemException">404 unknown-round.</exception>
    Task<RoundStatus> DescribeAsync(string roundId, bool includeSums, CancellationToken ct);

    /// <summary>Ends a running round at the operator's request; the round's status after it.</summary>
    Task<RoundStatus> AbortAsync(string roundId, string detail, CancellationToken ct);

    /// <summary>A finished round's signed transcript file (protocol-spec/transcript.md) and the round's canonical id.</summary>
    /// <param name="roundId">The round.</param>
    /// <param name="key">The signing key, asked for only when there is a transcript to sign.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="Http.AggregatorProblemException">404 unknown-round or no-transcript; 409 round-running.</exception>
    Task<(string RoundId, byte[] File)> TranscriptAsync(string roundId, Func<Transcripts.TranscriptSigningKey> key, CancellationToken ct);

    /// <summary>Running rounds and all rounds (for /healthz).</summary>
    Task<(int Running, int Rounds)> CountAsync(CancellationToken ct);

    /// <summary>Adds keys to a federation's roster; a key already enrolled keeps its id, a revoked key is refused.</summary>
    Task<uint[]> EnrolAsync(string federation, IReadOnlyList<byte[]> keys, long nowMs, CancellationToken ct);

    /// <summary>Revokes a client; false when the federation has no such client.</summary>
    Task<bool> RevokeAsync(string federation, uint clientId, CancellationToken ct);

    /// <summary>A fresh one-time enrolment token (only its hash is stored).</summary>
    Task<byte[]> CreateTokenAsync(string federation, long expiresMs, CancellationToken ct);

    /// <summary>Spends a token and enrols the key: a token enrols exactly one key.</summary>
    /// <exception cref="Http.AggregatorProblemException">403 invalid-token.</exception>
    Task<(string Federation, uint ClientId)> RedeemAsync(byte[] token, byte[] key, long nowMs, CancellationToken ct);

    /// <summary>True when the key was revoked in the federation.</summary>
    Task<bool> IsRevokedAsync(string federation, byte[] key, CancellationToken ct);
}
