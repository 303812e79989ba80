namespace SecureFed.Protocol.Client;

/// <summary>Size limits a client applies to server messages before parsing them, and how many cores it may use.</summary>
public sealed class ClientLimits
{
    /// <summary>
    /// Threads a client may use for its per-neighbour work (signature checks, key agreements) and mask expansion;
    /// default: every core of the device, since each stage is a short burst. 1 keeps a client on its calling thread.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Largest server message accepted, in bytes (default 256 MiB).</summary>
    public int MaxServerMessageBytes { get; init; } = 256 << 20;
}
