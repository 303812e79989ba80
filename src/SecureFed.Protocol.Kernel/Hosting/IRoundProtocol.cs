namespace SecureFed.Protocol.Hosting;

/// <summary>A scheme's server side: starts a round's server from its stored configuration.</summary>
public interface IRoundProtocol
{
    /// <summary>A fresh server for the round the configuration bytes describe, before any message.</summary>
    /// <param name="configuration">The canonical configuration encoding the round was opened with.</param>
    /// <param name="minimumClients">The host's floor of first-stage senders below which the round aborts (masking:
    /// the operator's minimum, the admin request's minClients); a scheme whose configuration carries its own
    /// MinimumClients ignores it.</param>
    /// <exception cref="Configuration.InvalidRoundConfigurationException">The configuration is invalid.</exception>
    IRoundServer Start(ReadOnlyMemory<byte> configuration, int minimumClients);
}
