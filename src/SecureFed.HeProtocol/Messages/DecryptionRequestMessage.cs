using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>S3 (type 3), server to each participant of an attempt: what to decrypt and with whom.</summary>
[MessagePackObject]
public sealed class DecryptionRequestMessage : HeServerMessage
{
    /// <summary>1-based attempt number (a retry with another participant set increments it).</summary>
    [Key(1)]
    public int Attempt { get; set; }

    /// <summary>Decryptor indices (Shamir points) of the participants, ascending; exactly the threshold.</summary>
    [Key(2)]
    public int[] Participants { get; set; } = [];

    /// <summary>Every upload of the aggregate, ascending client id (identical in every attempt).</summary>
    [Key(3)]
    public OpenedUpload[] Uploads { get; set; } = [];
}
