using SecureFed.Transport;

namespace SecureFed.Aggregator.Rounds;

/// <summary>What a client's poll for a stage's server message found.</summary>
internal sealed record PollOutcome(byte[]? Bytes, ProblemCode? GoneCode, string? GoneDetail)
{
    public static PollOutcome NotReady { get; } = new(null, null, null);

    public bool Ready => Bytes is not null || GoneCode is not null;

    public static PollOutcome Message(byte[] bytes) => new(bytes, null, null);

    public static PollOutcome Gone(ProblemCode code, string detail) => new(null, code, detail);
}
