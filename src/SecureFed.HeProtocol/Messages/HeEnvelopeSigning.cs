using SecureFed.HeProtocol.Configuration;
using SecureFed.Primitives.Signatures;

namespace SecureFed.HeProtocol.Messages;

/// <summary>Signs and verifies <see cref="HeEnvelope"/>s against the round's roster.</summary>
public static class HeEnvelopeSigning
{
    /// <summary>Builds a signed envelope for this round.</summary>
    public static HeEnvelope Seal(HeRoundParameters parameters, IdentityKeyPair identity, uint sender, HeStage stage, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(body);
        byte[] input = HeDerivation.EnvelopeSigningInput(parameters.ConfigurationHash.Span, sender, (byte)stage, body);
        return new HeEnvelope { SenderId = sender, Stage = stage, Body = body, Signature = identity.Sign(input) };
    }

    /// <summary>True when the envelope is well formed, its sender enrolled and its signature valid for this round.</summary>
    public static bool Verify(HeRoundParameters parameters, HeEnvelope? envelope)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (envelope is null || envelope.Version != 1 || envelope.Body is null || envelope.Signature is null
            || !parameters.Identities.TryGetValue(envelope.SenderId, out IdentityPublicKey? key))
        {
            return false;
        }
        byte[] input = HeDerivation.EnvelopeSigningInput(parameters.ConfigurationHash.Span, envelope.SenderId, (byte)envelope.Stage, envelope.Body);
        return key.Verify(input, envelope.Signature);
    }
}
