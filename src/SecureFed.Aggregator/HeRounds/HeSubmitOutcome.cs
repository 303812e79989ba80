using SecureFed.HeProtocol.Server;

namespace SecureFed.Aggregator.HeRounds;

/// <summary>The fate of a submitted HE envelope: stored, already stored (an idempotent resend), or refused.</summary>
internal sealed record HeSubmitOutcome(bool Accepted, bool AlreadyAccepted, HeRejection? Rejection)
{
    public static HeSubmitOutcome Stored { get; } = new(true, false, null);

    public static HeSubmitOutcome Resent { get; } = new(true, true, null);

    public static HeSubmitOutcome Refused(HeRejection rejection) => new(false, false, rejection);
}
