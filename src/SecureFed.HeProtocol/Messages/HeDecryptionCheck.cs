namespace SecureFed.HeProtocol.Messages;

/// <summary>How the published sum of an HE round was checked against bad decryption shares (wire value; he.md 10.7).</summary>
public enum HeDecryptionCheck
{
    /// <summary>Only one threshold-sized set of decryptors could answer: the sum is published unverified.</summary>
    Unverified = 0,

    /// <summary>
    /// A second set of decryptors, disjoint from the first, decrypted the same aggregate to the same sum: one bad
    /// decryptor cannot have moved it.
    /// </summary>
    SecondSubset = 1,

    /// <summary>
    /// Two sets disagreed; a third set, drawn only from decryptors in both or neither of them, agreed with one, and
    /// the decryptors only in the outvoted set were excluded.
    /// </summary>
    Elimination = 2,

    /// <summary>
    /// A second set decrypted the same sum but shares decryptors with the first (fewer than 2t responded): a bad
    /// share from a shared decryptor shifts both sums alike, so only the decryptors in one set alone were checked.
    /// </summary>
    OverlappingSubset = 3,
}
