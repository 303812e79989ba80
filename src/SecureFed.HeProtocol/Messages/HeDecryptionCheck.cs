namespace SecureFed.HeProtocol.Messages;

/// <summary>How the published sum of an HE round was checked against bad decryption shares (wire value; he.md 10.7).</summary>
public enum HeDecryptionCheck
{
    /// <summary>Only one threshold-sized set of decryptors could answer: the sum is published unverified.</summary>
    Unverified = 0,

    /// <summary>A second, different set of decryptors decrypted the same aggregate to the same sum.</summary>
    SecondSubset = 1,

    /// <summary>
    /// Two sets disagreed; a third set, drawn only from decryptors in both or neither of them, agreed with one, and
    /// the decryptors only in the outvoted set were excluded.
    /// </summary>
    Elimination = 2,
}
