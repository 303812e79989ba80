using SecureFed.Protocol.Server;

namespace SecureFed.Aggregator.Rounds;

/// <summary>The fate of a submitted envelope: stored, already stored (an idempotent resend), or refused.</summary>
internal sealed record SubmitOutcome(bool Accepted, bool AlreadyAccepted, MessageRejection? Rejection)
{
    public static SubmitOutcome Stored { get; } = new(true, false, null);

    public static SubmitOutcome Resent { get; } = new(true, true, null);

    public static SubmitOutcome Refused(MessageRejection rejection) => new(false, false, rejection);
}
