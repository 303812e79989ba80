using SecureFed.Primitives.Vectors;

namespace SecureFed.Privacy.Pipeline;

/// <summary>
/// The server side of distributed DP: takes the sum of the clients' encodings modulo 2^bits, maps each word to the
/// centred range [-2^(bits-1), 2^(bits-1)), multiplies by gamma, applies the inverse rotation and drops the padding:
/// an (up to rounding's conditioning) unbiased, noisy estimate of the sum of the clipped updates.
/// </summary>
public sealed class DpServerDecoder
{
    private readonly double[] _signs;

    /// <summary>Creates the decoder for <paramref name="plan"/> and the round's 32-byte public seed.</summary>
    public DpServerDecoder(DistributedDpPlan plan, ReadOnlySpan<byte> publicRoundSeed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Plan = plan;
        _signs = RandomizedHadamard.DeriveSigns(publicRoundSeed, plan.PaddedDimension);
    }

    /// <summary>The plan the decoder follows.</summary>
    public DistributedDpPlan Plan { get; }

    /// <summary>Adds <paramref name="encoding"/> into <paramref name="sum"/> modulo 2^<paramref name="bits"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ or bits is outside 1..64.</exception>
    public static void AccumulateModular(Span<ulong> sum, ReadOnlySpan<ulong> encoding, int bits)
    {
        if (sum.Length != encoding.Length)
        {
            throw new ArgumentException("sum and encoding lengths differ", nameof(encoding));
        }
        if (bits is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), "bits must be in [1, 64]");
        }
        ModularArithmetic.AddInPlace(sum, encoding, bits);
    }

    /// <summary>
    /// Decodes <paramref name="sumModBits"/> (<see cref="DistributedDpPlan.PaddedDimension"/> words, each &lt; 2^Bits)
    /// into <paramref name="estimate"/> (<see cref="DistributedDpPlan.Dimension"/> values, original units).
    /// </summary>
    /// <exception cref="ArgumentException">A length is wrong or a word is not below 2^Bits.</exception>
    public void Decode(ReadOnlySpan<ulong> sumModBits, Span<double> estimate)
    {
        int d = Plan.PaddedDimension;
        if (sumModBits.Length != d)
        {
            throw new ArgumentException($"sum must have {d} words, got {sumModBits.Length}", nameof(sumModBits));
        }
        if (estimate.Length != Plan.Dimension)
        {
            throw new ArgumentException($"estimate must have {Plan.Dimension} values, got {estimate.Length}", nameof(estimate));
        }
        int bits = Plan.Bits;
        var y = new double[d];
        for (int i = 0; i < d; i++)
        {
            ulong w = sumModBits[i];
            if (bits < 64 && w >> bits != 0)
            {
                throw new ArgumentException($"word {i} is not below 2^{bits}", nameof(sumModBits));
            }
            // Sign-extend from bit (bits - 1): maps [0, 2^bits) to the centred range [-2^(bits-1), 2^(bits-1)).
            int shift = 64 - bits;
            long centred = unchecked((long)(w << shift)) >> shift;
            y[i] = centred * Plan.Scale;
        }
        RandomizedHadamard.Inverse(y, _signs);
        y.AsSpan(0, Plan.Dimension).CopyTo(estimate);
    }
}
