namespace SecureFed.Protocol.Server;

/// <summary>Why the server refused one client or party message, in either scheme (the round is unaffected).</summary>
public enum RejectionReason
{
    /// <summary>Not decodable as a well-formed envelope or body.</summary>
    Malformed = 1,

    /// <summary>Larger than the stage's limit.</summary>
    Oversized = 2,

    /// <summary>The sender is not on the roster.</summary>
    UnknownSender = 3,

    /// <summary>The message belongs to another stage (late, early or out of order).</summary>
    WrongStage = 4,

    /// <summary>The sender already sent this stage's message (a replay or a resend).</summary>
    Duplicate = 5,

    /// <summary>The envelope (or HE upload commitment) signature does not verify for this round.</summary>
    BadSignature = 6,

    /// <summary>The sender is not expected at this stage (it dropped out earlier, or is not a decryptor or participant).</summary>
    NotExpected = 7,

    /// <summary>The body is well formed but violates the protocol (wrong recipients, wrong kind of share, commitment mismatch, ...).</summary>
    InvalidContent = 8,

    /// <summary>
    /// A vector has the wrong number of elements or an element out of range; in HE, an upload or key share of the
    /// wrong shape or size.
    /// </summary>
    WrongLength = 9,

    /// <summary>The round is over.</summary>
    RoundClosed = 10,
}
