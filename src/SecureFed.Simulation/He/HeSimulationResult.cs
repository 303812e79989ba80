using SecureFed.HeProtocol.Server;
using SecureFed.Protocol.Hosting;

namespace SecureFed.HeProtocol.Simulation;

/// <summary>What a simulated round produced; every byte count is the length of a serialized message.</summary>
public sealed class HeSimulationResult
{
    internal HeSimulationResult(HeServerState final) => Final = final;

    /// <summary>The server's terminal state.</summary>
    public HeServerState Final { get; internal set; }

    /// <summary>Accepted envelopes and stage closes in order (empty unless KeepServerLog).</summary>
    public List<HeServerLogEntry> ServerLog { get; } = [];

    /// <summary>Every server message sent, in order (empty unless KeepServerLog).</summary>
    public List<SentMessage> ServerMessages { get; } = [];

    /// <summary>H2 envelope bytes, by client.</summary>
    public Dictionary<uint, long> ClientBytesSent { get; } = [];

    /// <summary>H0, H1 and H3 envelope bytes of all decryptors.</summary>
    public long DecryptorBytesSent { get; internal set; }

    /// <summary>Server message bytes times recipients.</summary>
    public long ServerBytesSent { get; internal set; }

    /// <summary>Length of the serialized ciphertext inside one upload.</summary>
    public long UploadBytes { get; internal set; }

    /// <summary>Wall-clock milliseconds per phase: keygen, encrypt_total, aggregate, decryption_shares, combine.</summary>
    public Dictionary<string, double> Timings { get; } = new(StringComparer.Ordinal);

    /// <summary>Decryption attempts the server made.</summary>
    public int Attempts { get; internal set; }
}
