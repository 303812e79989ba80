namespace SecureFed.Transport;

/// <summary>HTTP header names and media types of the SecureFed transport (protocol-spec/transport.md).</summary>
public static class TransportHeaders
{
    /// <summary>Media type of every protocol body (MessagePack).</summary>
    public const string MessagePack = "application/x-msgpack";

    /// <summary>The requester's Ed25519 identity public key, 64 lowercase hex digits.</summary>
    public const string Key = "X-SecureFed-Key";

    /// <summary>Milliseconds since the Unix epoch when the request was signed, decimal.</summary>
    public const string Timestamp = "X-SecureFed-Timestamp";

    /// <summary>16 random bytes, 32 hex digits, unique per request within the replay window.</summary>
    public const string Nonce = "X-SecureFed-Nonce";

    /// <summary>Base64 of the 64-byte Ed25519 request signature.</summary>
    public const string Signature = "X-SecureFed-Signature";

    /// <summary>The admin credential: <c>Authorization: Bearer &lt;hex key&gt;</c>.</summary>
    public const string Authorization = "Authorization";
}
