namespace SecureFed.HeProtocol.Server;

/// <summary>
/// One entry of the log a host persists to rebuild a server: an accepted envelope's exact bytes, or the host's
/// decision to close the current stage. Replaying the entries in order into <see cref="HeServer.Replay"/> gives the
/// same state (the server is deterministic given them).
/// </summary>
public sealed record HeServerLogEntry
{
    private HeServerLogEntry(byte[]? envelope) => Envelope = envelope;

    /// <summary>The accepted envelope, or null for a stage close.</summary>
    public byte[]? Envelope { get; }

    /// <summary>True for a stage close.</summary>
    public bool IsClose => Envelope is null;

    /// <summary>An accepted envelope.</summary>
    public static HeServerLogEntry Message(byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new HeServerLogEntry(envelope);
    }

    /// <summary>A stage close.</summary>
    public static HeServerLogEntry Close { get; } = new((byte[]?)null);
}
