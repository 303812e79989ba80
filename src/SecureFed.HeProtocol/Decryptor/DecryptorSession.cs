using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;

namespace SecureFed.HeProtocol.Decryptor;

// What every decryptor state shares: the round, the identity, the randomness.
internal sealed class DecryptorSession(HeRoundParameters parameters, IdentityKeyPair identity, uint clientId, IRandomSource random)
{
    public HeRoundParameters Parameters { get; } = parameters;

    public uint ClientId { get; } = clientId;

    public int Index { get; } = parameters.DecryptorIndex(clientId);

    public IRandomSource Random { get; } = random;

    public HeEnvelope Seal(HeStage stage, byte[] body) => HeEnvelopeSigning.Seal(Parameters, identity, ClientId, stage, body);
}
