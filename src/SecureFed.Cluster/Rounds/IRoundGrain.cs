using Orleans.Concurrency;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// One round of the cluster, keyed by its round id (lowercase hex): hosts the round engine
/// (<c>IRoundServer</c>, either scheme), appends each accepted envelope and each close to the round's log in
/// PostgreSQL before acknowledging, and rebuilds itself by replaying that log on any silo. Polls and Submits
/// interleave (Submits share commits and wait for the grain's own writer turns: closes, aborts, timer ticks); every
/// other call is a turn of its own.
/// </summary>
internal interface IRoundGrain : IGrainWithStringKey
{
    /// <summary>Opens the round (stores its row, starts the engine, arms the deadline); an existing id is refused (null).</summary>
    Task<RoundFacts?> Open(RoundOpening opening);

    /// <summary>The round's fixed facts, <see cref="RoundFacts.Unknown"/> when there is no such round.</summary>
    [AlwaysInterleave]
    Task<RoundFacts> Facts();

    /// <summary>Stage, phase, deadline and closes.</summary>
    [AlwaysInterleave]
    Task<RoundState> State();

    /// <summary>Handles one envelope of <paramref name="clientId"/> (a roster member the front end authenticated).
    /// Submits interleave so that their log appends share commits (group commit); each still answers only once its
    /// envelope is durable, and none runs while a close or an abort does.</summary>
    [AlwaysInterleave]
    Task<SubmitReply> Submit(uint clientId, byte[] envelope);

    /// <summary>Waits up to <paramref name="wait"/> for the client's message of close <paramref name="stage"/>.</summary>
    [AlwaysInterleave]
    Task<StagePollReply> PollStage(uint clientId, int stage, TimeSpan wait);

    /// <summary>Waits up to <paramref name="wait"/> for the client's delivery from close <paramref name="close"/> on.</summary>
    [AlwaysInterleave]
    Task<BytesPollReply> PollClose(uint clientId, int close, TimeSpan wait);

    /// <summary>A large shared poll answer by its SHA-256 (<see cref="SharedAnswers"/>), or null when the grain no
    /// longer holds it (poll again).</summary>
    [AlwaysInterleave]
    Task<byte[]?> Shared(byte[] digest);

    /// <summary>Waits up to <paramref name="wait"/> for the encoded result.</summary>
    [AlwaysInterleave]
    Task<BytesPollReply> PollResult(TimeSpan wait);

    /// <summary>The operator's view (the admin API's JSON), or null when there is no such round.</summary>
    [AlwaysInterleave]
    Task<string?> Describe(bool includeSums);

    /// <summary>Ends a running round at the operator's request; false when the abort could not be stored.</summary>
    Task<bool> Abort(string detail);

    /// <summary>The silo the activation runs on (diagnostics and fault tests).</summary>
    [AlwaysInterleave]
    Task<SiloAddress> Silo();
}
