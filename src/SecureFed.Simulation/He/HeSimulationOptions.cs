namespace SecureFed.HeProtocol.Simulation;

/// <summary>Who fails, and where, in a simulated round.</summary>
public sealed record HeSimulationOptions
{
    /// <summary>Clients that never upload.</summary>
    public IReadOnlySet<uint> DroppedClients { get; init; } = new HashSet<uint>();

    /// <summary>Decryptors that never advertise (drop in H0).</summary>
    public IReadOnlySet<uint> DecryptorsDroppedAtAdvertise { get; init; } = new HashSet<uint>();

    /// <summary>Decryptors that advertise but never send their shares (drop in H1).</summary>
    public IReadOnlySet<uint> DecryptorsDroppedAtKeyShares { get; init; } = new HashSet<uint>();

    /// <summary>Decryptors that never answer a decryption request (drop in H3; forces a retry).</summary>
    public IReadOnlySet<uint> DecryptorsDroppedAtDecrypt { get; init; } = new HashSet<uint>();

    /// <summary>Decryptors whose decryption shares are wrong (well-formed and signed; each shifts the sum the same way in every set).</summary>
    public IReadOnlySet<uint> DecryptorsSendingBadShares { get; init; } = new HashSet<uint>();

    /// <summary>Keep every accepted envelope and stage close (for replay); costs memory of all uploads.</summary>
    public bool KeepServerLog { get; init; }
}
