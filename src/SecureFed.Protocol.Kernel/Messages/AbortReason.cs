namespace SecureFed.Protocol.Messages;

/// <summary>Why a round ended without a result (wire value in parentheses).</summary>
public enum AbortReason
{
    /// <summary>(1) Fewer than t clients remained at some stage.</summary>
    TooFewClients = 1,

    /// <summary>(2) A server message was malformed, out of order or not for this client.</summary>
    InvalidServerMessage = 2,

    /// <summary>(3) A forwarded client message carried a bad signature or an unenrolled sender.</summary>
    InvalidSignature = 3,

    /// <summary>(4) Two clients advertised the same public key, or a client's own keys were altered.</summary>
    InconsistentKeys = 4,

    /// <summary>(5) A share bundle failed authentication or was malformed.</summary>
    ShareDecryptionFailed = 5,

    /// <summary>(6) Survivor sets differ between clients or from what this client signed.</summary>
    InconsistentSurvivorSet = 6,

    /// <summary>(7) An unmasking request named a client both alive and dropped, or asked for a second kind of share.</summary>
    ConflictingUnmaskingRequest = 7,

    /// <summary>(8) The server could not reconstruct a seed or key from the shares it got.</summary>
    ReconstructionFailed = 8,

    /// <summary>(9) The server told the client the round was aborted.</summary>
    ServerAborted = 9,

    /// <summary>(10) A key agreement produced an invalid (low-order) result.</summary>
    KeyAgreementFailed = 10,
}
