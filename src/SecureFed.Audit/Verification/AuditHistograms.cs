namespace SecureFed.Audit.Verification;

// The chi-square bin counts behind the uniformity checks, kept for the report's histograms.
internal sealed class AuditHistograms
{
    public ChiSquareResult? Masked { get; set; }

    public ChiSquareResult? Plain { get; set; }

    public ChiSquareResult? Ciphertexts { get; set; }
}
