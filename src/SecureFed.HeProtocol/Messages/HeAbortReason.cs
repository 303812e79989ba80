namespace SecureFed.HeProtocol.Messages;

/// <summary>Why the server aborted an HE round (wire value).</summary>
public enum HeAbortReason
{
    /// <summary>Fewer decryptors than the threshold advertised in H0 or completed H1.</summary>
    TooFewDecryptors = 1,

    /// <summary>Fewer than MinimumClients uploads arrived.</summary>
    TooFewUploads = 2,

    /// <summary>Decryption failed on every allowed attempt.</summary>
    DecryptionFailed = 3,

    /// <summary>The host's operator aborted the round: a decision outside the protocol's rules, at any stage.</summary>
    OperatorAborted = 4,

    /// <summary>Two decryptor sets decrypted the aggregate to different sums and no set could tell which was right: nothing is published.</summary>
    SharesDisagree = 5,
}
