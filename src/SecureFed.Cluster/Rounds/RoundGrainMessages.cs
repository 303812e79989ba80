namespace SecureFed.Cluster.Rounds;

// Small immutable messages between the HTTP front ends and the grains. Enums of other assemblies travel as their
// integer codes so the grain interfaces depend only on types this assembly serializes.

/// <summary>What opening a round stores: everything a silo needs to rebuild it from its log.</summary>
[GenerateSerializer, Immutable]
internal sealed record RoundOpening(
    [property: Id(0)] int Scheme,
    [property: Id(1)] string Federation,
    [property: Id(2)] byte[] Configuration,
    [property: Id(3)] int MinimumClients,
    [property: Id(4)] long[] DeadlinesMs,
    [property: Id(5)] byte[]? FloatEncoding,
    [property: Id(6)] int ShardCount = 1,
    [property: Id(7)] byte[]? DpPlan = null,
    [property: Id(8)] string? QuietClose = null);

/// <summary>A round's fixed facts (null <see cref="Configuration"/>: no such round), or why its grain cannot serve it.</summary>
[GenerateSerializer, Immutable]
internal sealed record RoundFacts(
    [property: Id(0)] int Scheme,
    [property: Id(1)] string Federation,
    [property: Id(2)] byte[]? Configuration,
    [property: Id(3)] byte[]? FloatEncoding,
    [property: Id(4)] int Delivery,
    [property: Id(5)] int StageCount,
    [property: Id(6)] long MaxEnvelopeBytes,
    [property: Id(7)] uint[] ClientIds,
    [property: Id(8)] byte[][] IdentityKeys,
    [property: Id(9)] string? Unavailable,
    [property: Id(10)] int ShardCount = 1)
{
    public static RoundFacts Unknown { get; } = new(0, "", null, null, 0, 0, 0, [], [], null);

    public static RoundFacts Refused(string why) => new(0, "", null, null, 0, 0, 0, [], [], why);
}

/// <summary>The part of RoundInfo that changes while a round runs.</summary>
[GenerateSerializer, Immutable]
internal sealed record RoundState(
    [property: Id(0)] int Stage,
    [property: Id(1)] int Phase,
    [property: Id(2)] long StageDeadlineMs,
    [property: Id(3)] int Closes,
    [property: Id(4)] string? Unavailable);

/// <summary>The fate of a submitted envelope.</summary>
[GenerateSerializer, Immutable]
internal sealed record SubmitReply(
    [property: Id(0)] SubmitFate Fate,
    [property: Id(1)] int RejectionReason,
    [property: Id(2)] string? Detail,
    [property: Id(3)] uint ClaimedSender);

/// <summary>What happened to a submitted envelope.</summary>
[GenerateSerializer]
internal enum SubmitFate
{
    /// <summary>Durable in the round's log.</summary>
    Stored = 0,

    /// <summary>The same envelope was stored before (an idempotent resend).</summary>
    AlreadyStored = 1,

    /// <summary>Refused by the round; nothing changed.</summary>
    Refused = 2,

    /// <summary>The envelope names another client than the request's signer.</summary>
    SenderMismatch = 3,

    /// <summary>Not stored: the log could not be written or this activation lost its state; retry.</summary>
    Unavailable = 4,
}

/// <summary>A per-stage poll's answer: the message, a gone code (<c>ProblemCode</c>), nothing yet, or unavailable. A
/// large shared message carries its SHA-256 (<see cref="SharedAnswers"/>): with the bytes, for the front end to keep;
/// without them, for it to take from its cache or fetch once.</summary>
[GenerateSerializer, Immutable]
internal sealed record StagePollReply(
    [property: Id(0)] byte[]? Bytes,
    [property: Id(1)] int? GoneCode,
    [property: Id(2)] string? GoneDetail,
    [property: Id(3)] string? Unavailable,
    [property: Id(4)] byte[]? SharedDigest = null);

/// <summary>A per-close or result poll's answer: the bytes, nothing yet, refused (result of an aborted round) or
/// unavailable; a large shared answer's SHA-256 as in <see cref="StagePollReply"/>.</summary>
[GenerateSerializer, Immutable]
internal sealed record BytesPollReply(
    [property: Id(0)] byte[]? Bytes,
    [property: Id(1)] string? Refused,
    [property: Id(2)] string? Unavailable,
    [property: Id(3)] byte[]? SharedDigest = null);
