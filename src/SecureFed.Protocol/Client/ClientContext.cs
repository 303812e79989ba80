using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Client;

// What every client state shares and never changes: who the client is and the round it is in.
internal sealed class ClientContext(uint clientId, RoundParameters parameters, IdentityKeyPair identity, IRandomSource random, ClientLimits limits)
{
    public uint ClientId { get; } = clientId;

    public RoundParameters Parameters { get; } = parameters;

    public IdentityKeyPair Identity { get; } = identity;

    public IRandomSource Random { get; } = random;

    public ClientLimits Limits { get; } = limits;

    public int Parallelism { get; } = Math.Max(1, limits.MaxDegreeOfParallelism);
}
