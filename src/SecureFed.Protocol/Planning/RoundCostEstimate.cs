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

    private static long DirectoryBytes(long n, long k) => (n + 7) / 8 + 32 + (k + 1) * AdvertiseEnvelope + (long)Math.Round(32 * ProofNodes(n, k + 1));

    // secagg.md 3: a proof holds each subtree without a listed leaf whose sibling has one. With s of m leaves spread at
    // random (the graph's ring is a random permutation), a subtree of `size` leaves is empty with probability about
    // q^size, q = 1 - s / m, so about sum over sizes of (m / size) q^size (1 - q^size) nodes: ~ s log2(m / s), fewer
    // when s is near m, none when s = m (the complete graph).
    private static double ProofNodes(long m, long s)
    {
        if (s >= m)
        {
            return 0;
        }
        double q = 1 - (double)s / m, nodes = 0;
        for (double size = 1; size < m; size *= 2)
        {
            double empty = Math.Pow(q, size);
            nodes += m / size * empty * (1 - empty);
        }
        return nodes;
    }

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
        // The key directory (U1 as one bit per client, the root, the k + 1 holders' advertisements and their proof), the
        // share delivery, the survivor set, and the unmasking request (the tags).
        long download = DirectoryBytes(n, k) + k * BundleEntry + alive * IdBytes + k * TagEntry;
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
