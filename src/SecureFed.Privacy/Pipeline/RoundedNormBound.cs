namespace SecureFed.Privacy.Pipeline;

/// <summary>
/// The L2 norm bound Delta2 after conditional randomized rounding (Kairouz, Liu and Steinke 2021, Theorem 1 /
/// Proposition 22) of a vector with norm at most x (already scaled to integer units) in dimension d:
/// Delta2^2 = min( (x + sqrt(d))^2, x^2 + d/4 + sqrt(2 ln(1/beta)) (x + sqrt(d)/2) ); the second only for beta &gt; 0.
/// </summary>
public static class RoundedNormBound
{
    /// <summary>Delta2^2 as a real number.</summary>
    public static double Squared(double scaledNorm, double beta, long dimension)
    {
        if (!(scaledNorm >= 0) || double.IsInfinity(scaledNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(scaledNorm), "scaled norm must be finite and non-negative");
        }
        if (!(beta >= 0 && beta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), "beta must be in [0, 1)");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        double root = Math.Sqrt(dimension);
        double bound1 = (scaledNorm + root) * (scaledNorm + root);
        if (beta == 0)
        {
            return bound1;
        }
        double bound2 = (scaledNorm * scaledNorm) + (0.25 * dimension) + (Math.Sqrt(2 * Math.Log(1 / beta)) * (scaledNorm + (0.5 * root)));
        return Math.Min(bound1, bound2);
    }

    /// <summary>
    /// The integer acceptance threshold floor(Delta2^2): a rounded integer vector z is accepted iff sum z_i^2 &lt;= this
    /// (sum z_i^2 is an integer, so this is the same test as ||z|| &lt;= Delta2).
    /// </summary>
    public static ulong IntegerSquared(double scaledNorm, double beta, long dimension)
    {
        double s = Squared(scaledNorm, beta, dimension);
        if (s >= 1.8e19)
        {
            throw new ArgumentOutOfRangeException(nameof(scaledNorm), "rounded norm bound does not fit 64 bits");
        }
        return (ulong)Math.Floor(s);
    }
}
