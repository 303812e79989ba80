namespace SecureFed.Privacy.Accounting;

/// <summary>
/// Generic RDP amplification by Poisson subsampling for integer orders: the upper bound of Zhu and Wang 2019
/// ("Poisson Subsampled Renyi Differential Privacy", Theorem 5) in the form used by the distributed DP reference
/// accounting (google-research/federated distributed_dp): log of
/// (1-q)^(a-1)(aq - q + 1) + C(a,2) q^2 (1-q)^(a-2) e^{eps(2)} + 3 sum_{l=3..a} C(a,l) q^l (1-q)^(a-l) e^{(l-1) eps(l)},
/// divided by a - 1; the caller takes the minimum with the unsampled eps(a).
/// </summary>
internal static class SubsampledRdp
{
    public static double Compute(int alpha, double q, Func<int, double> eps)
    {
        if (alpha < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "subsampled RDP needs an integer order of at least 2");
        }
        double log1MinusQ = Math.Log(1 - q);
        double logQ = Math.Log(q);
        var terms = new double[alpha];
        terms[0] = ((alpha - 1) * log1MinusQ) + Math.Log((alpha * q) - q + 1);
        double logBinomial = LogMath.LogBinomial(alpha, 2);
        terms[1] = eps(2) + logBinomial + (2 * logQ) + ((alpha - 2) * log1MinusQ);
        for (int l = 3; l <= alpha; l++)
        {
            logBinomial += Math.Log(alpha - l + 1) - Math.Log(l); // C(a, l) = C(a, l-1) (a - l + 1) / l
            terms[l - 1] = Math.Log(3) + ((l - 1) * eps(l)) + logBinomial + ((alpha - l) * log1MinusQ) + (l * logQ);
        }
        return LogMath.LogSumExp(terms) / (alpha - 1);
    }
}
