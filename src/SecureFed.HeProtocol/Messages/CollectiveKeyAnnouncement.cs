using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>
/// S2 (type 2), server to every client: the collective public key as the signed H0 envelopes of the decryptors
/// that completed H1 (ascending sender id). Each client verifies every signature and sums the b_i itself, so the
/// server cannot substitute a key of its own.
/// </summary>
[MessagePackObject]
public sealed class CollectiveKeyAnnouncement : HeServerMessage
{
    /// <summary>The H0 envelopes of the final decryptor set.</summary>
    [Key(1)]
    public HeEnvelope[] Advertisements { get; set; } = [];
}
