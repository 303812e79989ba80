namespace SecureFed.Protocol.Client;

/// <summary>Size limits a client applies to server messages before parsing them.</summary>
public sealed class ClientLimits
{
    /// <summary>Largest server message accepted, in bytes (default 256 MiB).</summary>
    public int MaxServerMessageBytes { get; init; } = 256 << 20;
}
