namespace SecureFed.Transport;

/// <summary>
/// The stable codes of the service's problem-details answers (protocol-spec/transport.md section 4); the wire
/// strings are in <see cref="WireNames"/>.
/// </summary>
public enum ProblemCode
{
    /// <summary>A code this version does not know (a newer server).</summary>
    Unknown = 0,

    /// <summary><c>malformed</c>: not a decodable envelope or body.</summary>
    Malformed,

    /// <summary><c>oversized</c>: the body is over the limit.</summary>
    Oversized,

    /// <summary><c>unknown-sender</c>: the envelope's sender is not on the roster.</summary>
    UnknownSender,

    /// <summary><c>wrong-stage</c>: an envelope for another stage.</summary>
    WrongStage,

    /// <summary><c>duplicate</c>: a second, different envelope for the stage.</summary>
    Duplicate,

    /// <summary><c>bad-envelope-signature</c>: the envelope's own signature does not verify.</summary>
    BadEnvelopeSignature,

    /// <summary><c>not-expected</c>: the sender is not part of this stage.</summary>
    NotExpected,

    /// <summary><c>invalid-content</c>: the body violates the protocol.</summary>
    InvalidContent,

    /// <summary><c>wrong-length</c>: a vector has the wrong length or range.</summary>
    WrongLength,

    /// <summary><c>round-closed</c>: the round is over.</summary>
    RoundClosed,

    /// <summary><c>unsigned</c>: signature headers missing or malformed.</summary>
    Unsigned,

    /// <summary><c>stale-request</c>: the timestamp is outside the replay window.</summary>
    StaleRequest,

    /// <summary><c>bad-request-signature</c>: the request signature does not verify.</summary>
    BadRequestSignature,

    /// <summary><c>replayed</c>: the nonce was already used.</summary>
    Replayed,

    /// <summary><c>not-enrolled</c>: the key is not on the round's roster.</summary>
    NotEnrolled,

    /// <summary><c>revoked</c>: the key was revoked.</summary>
    Revoked,

    /// <summary><c>sender-mismatch</c>: the envelope names another client than the signer.</summary>
    SenderMismatch,

    /// <summary><c>invalid-token</c>: the enrolment token is unknown, used or expired.</summary>
    InvalidToken,

    /// <summary><c>unknown-round</c>: no such round.</summary>
    UnknownRound,

    /// <summary><c>unknown-client</c>: no such client in the federation.</summary>
    UnknownClient,

    /// <summary><c>invalid-stage</c>: a masking poll's stage is out of range.</summary>
    InvalidStage,

    /// <summary><c>invalid-close</c>: an HE poll's close index is out of range.</summary>
    InvalidClose,

    /// <summary><c>wrong-scheme</c>: the poll route belongs to the other scheme.</summary>
    WrongScheme,

    /// <summary><c>not-a-recipient</c>: the stage sent this client nothing (it was dropped).</summary>
    NotARecipient,

    /// <summary><c>stage-over</c>: the stage's messages are no longer served.</summary>
    StageOver,

    /// <summary><c>round-completed</c>: the round is over; no further server messages.</summary>
    RoundCompleted,

    /// <summary><c>rate-limited</c>: too many requests.</summary>
    RateLimited,

    /// <summary><c>too-many-rounds</c>: Aggregator:MaxRunningRounds reached.</summary>
    TooManyRounds,

    /// <summary><c>storage-unavailable</c>: the message could not be stored; retry.</summary>
    StorageUnavailable,

    /// <summary><c>invalid-wait</c>: a poll's <c>wait</c> is not a finite number of seconds.</summary>
    InvalidWait,

    /// <summary><c>internal-error</c>: an unexpected failure; stored state is unchanged.</summary>
    InternalError,

    /// <summary><c>invalid-configuration</c>: an open-round request field is invalid.</summary>
    InvalidConfiguration,

    /// <summary><c>roster-too-small</c>: the federation has fewer than two clients.</summary>
    RosterTooSmall,

    /// <summary><c>roster-full</c>: no client ids left in the federation.</summary>
    RosterFull,

    /// <summary><c>invalid-key</c>: not an Ed25519 public key.</summary>
    InvalidKey,

    /// <summary><c>invalid-federation</c>: not a valid federation name.</summary>
    InvalidFederation,

    /// <summary><c>invalid-token-lifetime</c>: the token lifetime is out of range.</summary>
    InvalidTokenLifetime,

    /// <summary><c>admin-unauthorized</c>: the admin API without the admin key.</summary>
    AdminUnauthorized,

    /// <summary><c>round-running</c>: the round has not finished.</summary>
    RoundRunning,

    /// <summary><c>no-transcript</c>: the round was opened without transcripts.</summary>
    NoTranscript,

    /// <summary><c>transcripts-disabled</c>: the service keeps no transcripts.</summary>
    TranscriptsDisabled,

    /// <summary><c>bad-request</c>: an HTTP request the server could not read.</summary>
    BadRequest,

    /// <summary>
    /// <c>privacy-budget-exhausted</c>: opening this DP round could take the federation over its privacy budget (the
    /// problem names spent, reserved, requested and remaining epsilon).
    /// </summary>
    PrivacyBudgetExhausted,

    /// <summary><c>privacy-budget-unset</c>: a DP round in a federation without a privacy budget.</summary>
    PrivacyBudgetUnset,

    /// <summary><c>round-not-completed</c>: the round's result was asked for but the round was aborted.</summary>
    RoundNotCompleted,
}
