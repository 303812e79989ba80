using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Wire;
using SecureFed.Primitives.Aead;

namespace SecureFed.HeProtocol.Server;

/// <summary>Largest envelope accepted per stage: the exact payload plus a fixed allowance for MessagePack framing.</summary>
internal static class HeServerLimits
{
    // Envelope fields, the 64-byte signature and per-element MessagePack headers (<= 16 bytes each) fit in 512.
    private const long Framing = 512;

    public static long MaxEnvelopeBytes(HeRoundParameters parameters, HeStage stage)
    {
        var plan = parameters.Plan;
        var p = plan.Parameters;
        int bodies = plan.Options.Bodies;
        return Framing + stage switch
        {
            HeStage.KeyAdvertisement => 32L + (long)bodies * PolynomialPacking.PolynomialBytes(p, p.KeyLevel),
            HeStage.KeyShares => (parameters.DecryptorIds.Count - 1L) * (ShareCipher.TagSize + 16 + (long)bodies * PolynomialPacking.PolynomialBytes(p, plan.UploadLevel)),
            HeStage.Upload => parameters.UploadSize + 32 + 64 + 16,
            HeStage.DecryptionShare => 8L * parameters.Threshold + (long)parameters.BlockCount * bodies * PolynomialPacking.PolynomialBytes(p, plan.UploadLevel),
            _ => 0,
        };
    }
}
