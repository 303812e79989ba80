using System.Numerics;
using SecureFed.Lattice.Ring;

namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Noise bounds for the add-only aggregation (protocol-spec/he.md, "Noise budget"). Random terms are tracked by
/// variance and bounded at <see cref="TailSigmas"/> standard deviations; deterministic terms by worst case.
/// For a key that is the sum of D parties' keys: Var(s) = 2D/3, Var(e) = 10.5 D.
/// Fresh public-key noise e*u + e0 + s*e1: variance N*Var(e)*2/3 + 10.5 + N*Var(s)*10.5.
/// Dropping a prime p: v -> v/p + r0 + r1*s with rounding errors |r| &lt;= 1/2, variance 1/12 + N*Var(s)/12.
/// Encoding as round(q*m/t) adds at most 1/2 per ciphertext (wrap-around of the plaintext sum adds nothing:
/// q*t/t = q = 0). The sum of n ciphertexts has n times the variance and n times the deterministic part.
/// </summary>
internal static class NoiseModel
{
    /// <summary>Gaussian tail at 10 sigma: P(|X| &gt; 10 sigma) &lt; 2^-75 per coefficient.</summary>
    public const double TailSigmas = 10.0;

    /// <summary>log2 of the bound on the aggregate's noise (before collective decryption) at the upload level.</summary>
    public static double AggregateNoiseLog2(BfvParameters p, int uploadLevel, int clients, int keyParties)
    {
        double n = p.Degree;
        double varS = keyParties * Samplers.TernaryVariance;
        double varE = keyParties * Samplers.ErrorVariance;
        double variance = n * varE * Samplers.TernaryVariance + Samplers.ErrorVariance + n * varS * Samplers.ErrorVariance;
        for (int i = p.KeyLevel - 1; i >= uploadLevel; i--)
        {
            double prime = p.Primes[i];
            variance = variance / (prime * prime) + (1.0 + n * varS) / 12.0;
        }
        double bound = TailSigmas * Math.Sqrt(clients * variance) + clients * 0.5;
        return Math.Log2(bound);
    }

    /// <summary>
    /// Remaining bits: log2(q_k / (2t)) - log2(B_agg * (1 + T * 2^floodingBits)), where T decryption shares each
    /// carry flooding noise up to 2^floodingBits * B_agg. Decryption is correct while this is positive.
    /// </summary>
    public static double BudgetBits(BfvParameters p, int uploadLevel, int clients, int keyParties, int shares, int floodingBits)
    {
        double agg = AggregateNoiseLog2(p, uploadLevel, clients, keyParties);
        double total = agg + Math.Log2(1.0 + shares * Math.Pow(2, floodingBits));
        double logQ = BigInteger.Log(p.ModulusAt(uploadLevel), 2);
        return logQ - p.PlaintextBits - 1 - total;
    }
}
