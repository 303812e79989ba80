namespace SecureFed.Primitives.Shamir;

/// <summary>
/// Lagrange coefficients at x = 0 for a fixed set of holder x-coordinates: lambda_i = prod_{j != i} x_j / (x_j - x_i)
/// mod p. Computed once per holder set (O(k^2) multiplications, one inversion) and reused for every secret those
/// holders reconstruct, which is what makes unmasking many dropped clients cheap.
/// </summary>
public sealed class LagrangeBasis
{
    private readonly ulong[] _coefficients;
    private readonly uint[] _holders;

    /// <summary>Builds the basis for <paramref name="holders"/> (distinct, non-zero ids).</summary>
    /// <exception cref="ArgumentException">Empty, zero or repeated holder ids.</exception>
    public LagrangeBasis(ReadOnlySpan<uint> holders)
    {
        if (holders.IsEmpty)
        {
            throw new ArgumentException("at least one holder is needed", nameof(holders));
        }
        ShamirScheme.ValidateHolders(holders);
        _holders = holders.ToArray();
        _coefficients = new ulong[holders.Length];
        int t = holders.Length;
        // Numerators prod_{j != i} x_j from prefix and suffix products (O(t)); denominators prod_{j != i} (x_j - x_i)
        // (O(t^2)); then all t denominators inverted with one field inversion (Montgomery's trick: invert the product,
        // peel one factor off per step). A SecAgg+ server builds a basis per survivor (10,000 at n = 10,000), where t
        // Fermat inversions were most of the cost. Field arithmetic is exact, so the coefficients are the same values.
        Span<ulong> den = t <= 512 ? stackalloc ulong[t] : new ulong[t];
        Span<ulong> prefix = t <= 512 ? stackalloc ulong[t + 1] : new ulong[t + 1];
        prefix[0] = 1;
        for (int i = 0; i < t; i++)
        {
            ulong xi = holders[i];
            ulong d = 1;
            for (int j = 0; j < t; j++)
            {
                if (j != i)
                {
                    d = MersenneField.Mul(d, MersenneField.Sub(holders[j], xi));
                }
            }
            den[i] = d;
            prefix[i + 1] = MersenneField.Mul(prefix[i], d);
        }
        // inverse = (d_0 ... d_{t-1})^-1; walking down, d_i^-1 = inverse * (d_0 ... d_{i-1}), then inverse *= d_i.
        ulong inverse = MersenneField.Inverse(prefix[t]);
        ulong suffix = 1; // prod_{j > i} x_j
        for (int i = t - 1; i >= 0; i--)
        {
            // d_i^-1 times the numerator's x_j for j > i; the factors for j < i are multiplied in below.
            _coefficients[i] = MersenneField.Mul(MersenneField.Mul(inverse, prefix[i]), suffix);
            inverse = MersenneField.Mul(inverse, den[i]);
            suffix = MersenneField.Mul(suffix, holders[i]);
        }
        ulong before = 1; // prod_{j < i} x_j
        for (int i = 0; i < t; i++)
        {
            _coefficients[i] = MersenneField.Mul(_coefficients[i], before);
            before = MersenneField.Mul(before, holders[i]);
        }
    }

    /// <summary>Number of holders.</summary>
    public int Count => _holders.Length;

    /// <summary>Holder i's x-coordinate.</summary>
    public uint Holder(int i) => _holders[i];

    /// <summary>Holder i's coefficient.</summary>
    public ulong Coefficient(int i) => _coefficients[i];
}
