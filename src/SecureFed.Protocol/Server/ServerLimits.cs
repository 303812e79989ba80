using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Server;

/// <summary>
/// Largest envelope the server accepts at each stage, derived from the configuration: the honest message's size
/// plus MessagePack framing slack, so an oversized message is refused before it is parsed.
/// </summary>
public static class ServerLimits
{
    // Envelope framing: version, sender, stage, bin headers and a 64-byte signature, generously rounded up.
    private const int EnvelopeOverhead = 256;

    /// <summary>Maximum envelope size for <paramref name="stage"/>.</summary>
    public static long MaxEnvelopeBytes(RoundParameters parameters, ProtocolStage stage)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        long n = parameters.ClientIds.Count;
        return stage switch
        {
            ProtocolStage.AdvertiseKeys => EnvelopeOverhead + 128,
            // Per bundle: a 104-byte ciphertext, a 5-byte id and array/bin headers.
            ProtocolStage.ShareKeys => EnvelopeOverhead + n * 128,
            ProtocolStage.MaskedInputCollection => EnvelopeOverhead + parameters.Vectors.Sum(v => (long)v.Length * ModularArithmetic.ElementBytes(v.Bits) + 16),
            // The hash, then per tagged neighbour a 32-byte tag and an id of up to 5 bytes, plus headers.
            ProtocolStage.ConsistencyCheck => EnvelopeOverhead + 64 + n * 40,
            // Per revealed share: a 40-byte share, id, kind and headers.
            ProtocolStage.Unmasking => EnvelopeOverhead + n * 64,
            _ => 0,
        };
    }
}
