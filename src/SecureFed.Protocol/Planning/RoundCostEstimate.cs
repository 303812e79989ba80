using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;

namespace SecureFed.Protocol.Planning;

/// <summary>
/// Expected bytes and work of one round for a plan, from the message layouts of protocol-spec/secagg.md (sizes
/// rounded up to whole MessagePack headers) and the expected number of dropouts n * delta before R2.
/// </summary>
public sealed record RoundCostEstimate(
    long ClientUploadBytes,
    long ClientDownloadBytes,
    long ServerUploadBytes,
    long ServerDownloadBytes,
    int ClientKeyAgreements,
    int ClientSignatureChecks,
    long ClientMaskWords,
    long ServerKeyAgreements,
    long ServerSignatureChecks,
    long ServerMaskWords)
{
    // Measured sizes of the fixed-size messages (PlannerTests checks the totals against a simulated round).
    private const int AdvertiseEnvelope = 142;
    private const int BundleEntry = 110;
    private const int ConsistencyEnvelope = 140;
    private const int TagEntry = 32 + 3; // a consistency tag and its peer id
    private const int RevealedShareEntry = 48;
    private const int EnvelopeOverhead = 90;
    private const int IdBytes = 3;

    /// <summary>Estimates a round of <paramref name="clients"/> clients, each sending the given vectors.</summary>
    public static RoundCostEstimate For(GraphPlan plan, int clients, IReadOnlyList<VectorSpec> vectors, double dropoutFraction)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(vectors);
        long n = clients;
        long k = plan.Degree;
        long dropped = (long)Math.Round(n * dropoutFraction);
        long alive = n - dropped;
        long words = vectors.Sum(v => (long)v.Length);
        long vectorBytes = vectors.Sum(v => (long)v.Length * ModularArithmetic.ElementBytes(v.Bits) + 5);
        long upload = AdvertiseEnvelope + (EnvelopeOverhead + k * BundleEntry) + (EnvelopeOverhead + vectorBytes) + (ConsistencyEnvelope + k * TagEntry)
            + (EnvelopeOverhead + (k + 1) * RevealedShareEntry);
        // The key directory, the share delivery, the survivor set, and the unmasking request (both sets and the tags).
        long download = n * AdvertiseEnvelope + k * BundleEntry + alive * IdBytes + n * IdBytes + k * TagEntry;
        return new RoundCostEstimate(
            ClientUploadBytes: upload,
            ClientDownloadBytes: download,
            ServerUploadBytes: n * download,
            ServerDownloadBytes: n * upload,
            ClientKeyAgreements: (int)(2 * k),
            // R1 only: the neighbours' signed keys (R4 checks MACs, secagg.md section 8).
            ClientSignatureChecks: (int)k,
            ClientMaskWords: (k + 1) * words,
            // None: survivors reveal their pair seeds with dropped neighbours; only a survivor silent in R4 costs k.
            ServerKeyAgreements: 0,
            ServerSignatureChecks: 5 * n,
            ServerMaskWords: (alive + dropped * Math.Min(k, alive)) * words);
    }
}
