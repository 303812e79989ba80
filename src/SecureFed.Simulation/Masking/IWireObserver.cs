namespace SecureFed.Protocol.Simulation;

/// <summary>Sees every encoded message of a simulated round (called under a lock, in delivery order).</summary>
public interface IWireObserver
{
    /// <summary>A client sent <paramref name="bytes"/> to the server.</summary>
    void ClientToServer(uint clientId, ReadOnlySpan<byte> bytes);

    /// <summary>The server sent <paramref name="bytes"/> to <paramref name="clientId"/>.</summary>
    void ServerToClient(uint clientId, ReadOnlySpan<byte> bytes);
}
