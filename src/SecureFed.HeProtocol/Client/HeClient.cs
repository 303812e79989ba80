using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;

namespace SecureFed.HeProtocol.Client;

/// <summary>Entry point of a client's state machine.</summary>
public static class HeClient
{
    /// <summary>
    /// The initial state of enrolled client <paramref name="clientId"/>, which uploads <paramref name="values"/>
    /// (already-quantized residues mod 2^Bits, copied) once the collective key is announced. The caller keeps
    /// ownership of <paramref name="identity"/> and <paramref name="random"/> and keeps them alive for the round.
    /// </summary>
    /// <exception cref="ArgumentException">The client is not on the roster, or the vector has the wrong length.</exception>
    public static HeClientAwaitKeyState Start(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId, ReadOnlySpan<ulong> values, IRandomSource random)
    {
        CheckStart(parameters, identity, clientId, values.Length, random);
        return new HeClientAwaitKeyState(parameters, identity, clientId, values.ToArray(), random, null);
    }

    /// <summary>
    /// The same client, with its update copied into <paramref name="buffer"/> and its upload encrypted into it (same
    /// bytes on the wire): a device that takes part round after round keeps one buffer instead of allocating its
    /// uploads. The round holds the buffer until its client state is terminal or disposed; the upload envelope's
    /// <see cref="HeEnvelope.Body"/> is the buffer's memory, so send it before the round ends.
    /// </summary>
    /// <exception cref="ArgumentException">The client is not on the roster, the vector has the wrong length, or the buffer another shape.</exception>
    /// <exception cref="InvalidOperationException">A round that has not ended still holds the buffer.</exception>
    /// <exception cref="ObjectDisposedException">The buffer is disposed.</exception>
    public static HeClientAwaitKeyState Start(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId, ReadOnlySpan<ulong> values, IRandomSource random, HeUploadBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckStart(parameters, identity, clientId, values.Length, random);
        buffer.Acquire(parameters);
        values.CopyTo(buffer.Values);
        return new HeClientAwaitKeyState(parameters, identity, clientId, buffer.Values, random, buffer);
    }

    // Both starts refuse the same arguments before anything is copied.
    private static void CheckStart(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId, int valueCount, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(random);
        if (!parameters.Identities.ContainsKey(clientId))
        {
            throw new ArgumentException($"client {clientId} is not on the roster", nameof(clientId));
        }
        if (valueCount != parameters.Configuration.VectorLength)
        {
            throw new ArgumentException($"the update must have {parameters.Configuration.VectorLength} values, got {valueCount}", "values");
        }
    }

    /// <summary>
    /// Verifies an announced collective key (every advertisement signed for this round by a configured decryptor,
    /// at least the threshold of them) and returns the key it defines, summing the b_i itself.
    /// </summary>
    /// <exception cref="HeProtocolException">A signature is bad or missing, a sender is not a decryptor, or fewer than the threshold remain.</exception>
    public static PublicKey VerifyKey(HeRoundParameters parameters, CollectiveKeyAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(announcement);
        var adverts = KeyAdvertisementReader.Read(parameters, announcement.Advertisements, "collective key");
        return CollectivePublicKey.Combine(parameters.Plan, parameters.CrpSeed.Span, KeyAdvertisementReader.PublicKeyShares(parameters, adverts));
    }
}
