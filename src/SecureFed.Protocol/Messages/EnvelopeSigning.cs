using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Derivation;

namespace SecureFed.Protocol.Messages;

/// <summary>Signs and verifies <see cref="ClientEnvelope"/>s (protocol-spec/secagg.md, "ClientEnvelope").</summary>
public static class EnvelopeSigning
{
    /// <summary>Builds a signed envelope. <paramref name="context"/> is the configuration hash in R0 and the session id afterwards.</summary>
    public static ClientEnvelope Seal(IdentityKeyPair identity, ReadOnlySpan<byte> context, uint sender, ProtocolStage stage, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(body);
        byte[] input = SessionDerivation.EnvelopeSigningInput(context, sender, stage, body);
        return new ClientEnvelope { SenderId = sender, Stage = stage, Body = body, Signature = identity.Sign(input) };
    }

    // The same with SHA-256(body) already computed (32 bytes): a client hashes its R2 body while masking into it.
    internal static ClientEnvelope Seal(IdentityKeyPair identity, ReadOnlySpan<byte> context, uint sender, ProtocolStage stage, byte[] body, ReadOnlySpan<byte> bodyDigest)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(body);
        byte[] input = SessionDerivation.EnvelopeSigningInputOfDigest(context, sender, stage, bodyDigest);
        return new ClientEnvelope { SenderId = sender, Stage = stage, Body = body, Signature = identity.Sign(input) };
    }

    /// <summary>True when the envelope is well formed, its sender enrolled and its signature valid for <paramref name="context"/>.</summary>
    public static bool Verify(RoundParameters parameters, ReadOnlySpan<byte> context, ClientEnvelope? envelope)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return envelope is not null && envelope.Body is not null && envelope.Signature is not null && Verify(parameters, context, EnvelopeView.Of(envelope));
    }

    // The same on an envelope's fields (its body and signature possibly slices of the received bytes).
    internal static bool Verify(RoundParameters parameters, ReadOnlySpan<byte> context, in EnvelopeView envelope)
    {
        if (envelope.Version != 1 || !parameters.Identities.TryGetValue(envelope.SenderId, out IdentityPublicKey? key))
        {
            return false;
        }
        byte[] input = SessionDerivation.EnvelopeSigningInput(context, envelope.SenderId, envelope.Stage, envelope.Body.Span);
        return key.Verify(input, envelope.Signature.Span);
    }
}
