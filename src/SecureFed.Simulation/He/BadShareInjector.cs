using System.Numerics;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Simulation;

// A decryptor that sends a wrong but well-formed, validly signed share: it adds round(q/t) to the first coefficient
// of every polynomial, which moves the first value of every body by one whatever set it answers for (the same shift
// in every set, the hardest case for a second-subset check).
internal static class BadShareInjector
{
    public static HeEnvelope Corrupt(HeRoundParameters parameters, IdentityKeyPair identity, HeEnvelope envelope)
    {
        var plan = parameters.Plan;
        var p = plan.Parameters;
        var body = MessageCodec.Decode<DecryptionShareBody>(envelope.Body, envelope.Body.Length);
        var polynomials = PolynomialPacking.Unpack(p, plan.UploadLevel, parameters.BlockCount * plan.Options.Bodies, body.Share, "Share");
        BigInteger q = BigInteger.One;
        for (int i = 0; i < plan.UploadLevel; i++)
        {
            q *= p.Primes[i];
        }
        BigInteger delta = (q + (BigInteger.One << (p.PlaintextBits - 1))) >> p.PlaintextBits;
        foreach (ulong[] poly in polynomials)
        {
            for (int i = 0; i < plan.UploadLevel; i++)
            {
                ulong prime = p.Primes[i];
                poly[i * p.Degree] = (ulong)((poly[i * p.Degree] + delta) % prime);
            }
        }
        body.Share = PolynomialPacking.Pack(p, plan.UploadLevel, polynomials);
        return HeEnvelopeSigning.Seal(parameters, identity, envelope.SenderId, HeStage.DecryptionShare, MessageCodec.Encode(body));
    }
}
