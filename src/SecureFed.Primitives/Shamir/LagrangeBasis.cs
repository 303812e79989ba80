namespace SecureFed.Primitives.Shamir;

/// <summary>
/// Lagrange coefficients at x = 0 for a fixed set of holder x-coordinates: lambda_i = prod_{j != i} x_j / (x_j - x_i)
/// mod p. Computed once per holder set (O(k^2) multiplications, k inversions) and reused for every secret those
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
        for (int i = 0; i < holders.Length; i++)
        {
            ulong num = 1, den = 1;
            ulong xi = holders[i];
            for (int j = 0; j < holders.Length; j++)
            {
                if (j == i)
                {
                    continue;
                }
                ulong xj = holders[j];
                num = MersenneField.Mul(num, xj);
                den = MersenneField.Mul(den, MersenneField.Sub(xj, xi));
            }
            _coefficients[i] = MersenneField.Mul(num, MersenneField.Inverse(den));
        }
    }

    /// <summary>Number of holders.</summary>
    public int Count => _holders.Length;

    /// <summary>Holder i's x-coordinate.</summary>
    public uint Holder(int i) => _holders[i];

    /// <summary>Holder i's coefficient.</summary>
    public ulong Coefficient(int i) => _coefficients[i];
}
