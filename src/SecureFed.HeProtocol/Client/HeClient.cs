using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Signatures;

namespace SecureFed.HeProtocol.Client;

/// <summary>Entry point of a client's state machine.</summary>
public static class HeClient
{
    /// <summary>The initial state of enrolled client <paramref name="clientId"/>; the caller keeps ownership of <paramref name="identity"/>.</summary>
    /// <exception cref="ArgumentException">The client is not on the roster.</exception>
    public static HeClientAwaitKeyState Start(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(identity);
        if (!parameters.Identities.ContainsKey(clientId))
        {
            throw new ArgumentException($"client {clientId} is not on the roster", nameof(clientId));
        }
        return new HeClientAwaitKeyState(parameters, identity, clientId);
    }
}
