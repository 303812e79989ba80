using MessagePack;

namespace SecureFed.HeProtocol.Messages;

/// <summary>S0 (type 0), server to every advertised decryptor: the signed H0 envelopes, ascending sender id.</summary>
[MessagePackObject]
public sealed class AdvertisementList : HeServerMessage
{
    /// <summary>The H0 envelopes exactly as the server accepted them.</summary>
    [Key(1)]
    public HeEnvelope[] Advertisements { get; set; } = [];
}
