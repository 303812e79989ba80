using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;

namespace SecureFed.HeProtocol.Decryptor;

/// <summary>Entry point of a decryptor's state machine.</summary>
public static class HeDecryptor
{
    /// <summary>
    /// The initial state of decryptor <paramref name="clientId"/> (a configured decryptor). The caller keeps
    /// ownership of <paramref name="identity"/> and <paramref name="random"/> and keeps them alive for the round.
    /// </summary>
    /// <exception cref="ArgumentException">The client is not a decryptor of the round.</exception>
    public static DecryptorH0AdvertiseState Start(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(random);
        if (parameters.DecryptorIndex(clientId) == 0)
        {
            throw new ArgumentException($"client {clientId} is not a decryptor of this round", nameof(clientId));
        }
        return new DecryptorH0AdvertiseState(new DecryptorSession(parameters, identity, clientId, random));
    }
}
