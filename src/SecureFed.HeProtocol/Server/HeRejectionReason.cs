namespace SecureFed.HeProtocol.Server;

/// <summary>Why the server refused one party message (the round is unaffected).</summary>
public enum HeRejectionReason
{
    /// <summary>Not decodable as a well-formed envelope or body.</summary>
    Malformed = 1,

    /// <summary>Larger than the stage's limit.</summary>
    Oversized = 2,

    /// <summary>The sender is not on the roster.</summary>
    UnknownSender = 3,

    /// <summary>The message belongs to another stage.</summary>
    WrongStage = 4,

    /// <summary>The sender already sent this stage's message (a replay or a resend).</summary>
    Duplicate = 5,

    /// <summary>The envelope (or commitment) signature does not verify for this round.</summary>
    BadSignature = 6,

    /// <summary>The sender is not expected at this stage (not a decryptor, dropped earlier, not a participant).</summary>
    NotExpected = 7,

    /// <summary>Well formed but against the protocol (wrong recipients, commitment mismatch, wrong attempt, ...).</summary>
    InvalidContent = 8,

    /// <summary>An upload or share of the wrong shape or size.</summary>
    WrongShape = 9,

    /// <summary>The round is over.</summary>
    RoundClosed = 10,
}
