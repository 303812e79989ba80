namespace SecureFed.HeProtocol.Server;

/// <summary>Why the server left a decryptor out of a round's decryption (he.md 10.7).</summary>
public enum HeExclusionReason
{
    /// <summary>It did not answer a decryption request before the host closed the stage.</summary>
    Unresponsive = 1,

    /// <summary>It was only in a decryptor set whose sum a deciding set outvoted: its share is presumed bad.</summary>
    OutvotedShare = 2,
}
