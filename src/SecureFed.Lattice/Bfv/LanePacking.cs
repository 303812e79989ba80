namespace SecureFed.Lattice.Bfv;

/// <summary>
/// Where value i of a client's vector lives (protocol-spec/he.md, "Lanes"): plaintext polynomial
/// g = i / (N*L) (= block g / B, body g mod B for B bodies per ciphertext), and within it lane
/// l = (i mod N*L) / N of coefficient j = i mod N, i.e. bits [l*bits, (l+1)*bits) of the coefficient holding
/// (value + InputOffset) mod 2^bits. With L = 1 the coefficient is the value itself.
/// </summary>
public static class LanePacking
{
    /// <summary>Number of ciphertext blocks for <paramref name="length"/> values.</summary>
    public static int BlockCount(AggregationPlan plan, int length)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Math.Max(1, (int)(((long)length + plan.ValuesPerCiphertext - 1) / plan.ValuesPerCiphertext));
    }

    /// <summary>Writes the plaintext coefficients (B*N, body-major) of block <paramref name="block"/> of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">A value is not below 2^bits, or (with lanes) outside [0, InputRange) after the offset.</exception>
    public static void PackBlock(AggregationPlan plan, ReadOnlySpan<ulong> values, int block, Span<ulong> coefficients)
    {
        int n = plan.Parameters.Degree;
        int bodies = plan.Options.Bodies;
        for (int k = 0; k < bodies; k++)
        {
            PackPolynomial(plan, values, block * bodies + k, coefficients.Slice(k * n, n));
        }
    }

    private static void PackPolynomial(AggregationPlan plan, ReadOnlySpan<ulong> values, int block, Span<ulong> coefficients)
    {
        var o = plan.Options;
        int n = plan.Parameters.Degree;
        int lanes = o.Lanes;
        int bits = o.Bits;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        long start = (long)block * n * lanes;
        if (lanes == 1)
        {
            int count = (int)Math.Clamp(values.Length - start, 0, n);
            if (count > 0)
            {
                values.Slice((int)start, count).CopyTo(coefficients);
            }
            coefficients[count..].Clear();
            return;
        }
        coefficients.Clear();
        for (int l = 0; l < lanes; l++)
        {
            for (int j = 0; j < n; j++)
            {
                long i = start + (long)l * n + j;
                ulong v = i < values.Length ? values[(int)i] : 0;
                ulong shifted = (v + o.InputOffset) & mask;
                if ((v & ~mask) != 0 || shifted >= o.InputRange)
                {
                    throw new ArgumentException($"value {i} lies outside the input window [-InputOffset, InputRange - InputOffset)", nameof(values));
                }
                coefficients[j] |= shifted << (l * bits);
            }
        }
    }

    /// <summary>
    /// The sum of <paramref name="contributors"/> clients' vectors, mod 2^bits, from the decrypted coefficients of
    /// all blocks (blocks*bodies*N entries, as <see cref="Multiparty.CollectiveDecryption.Combine"/> returns them).
    /// </summary>
    public static ulong[] Unpack(AggregationPlan plan, ReadOnlySpan<ulong> coefficients, int length, int contributors)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var o = plan.Options;
        int n = plan.Parameters.Degree;
        int lanes = o.Lanes;
        int bits = o.Bits;
        ulong mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        if ((long)BlockCount(plan, length) * o.Bodies * n > coefficients.Length)
        {
            throw new ArgumentException("too few coefficients for the requested length", nameof(coefficients));
        }
        var result = new ulong[length];
        if (lanes == 1)
        {
            coefficients[..length].CopyTo(result);
            return result;
        }
        ulong offsetTotal = (ulong)contributors * o.InputOffset;
        // Value i = g*N*L + l*N + j sits in lane l of coefficient j of plaintext polynomial g.
        for (int start = 0, g = 0; start < length; start += n * lanes, g++)
        {
            ReadOnlySpan<ulong> poly = coefficients.Slice(g * n, n);
            for (int l = 0; l < lanes && start + l * n < length; l++)
            {
                int shift = l * bits;
                Span<ulong> dst = result.AsSpan(start + l * n, Math.Min(n, length - start - l * n));
                for (int j = 0; j < dst.Length; j++)
                {
                    dst[j] = ((poly[j] >> shift) - offsetTotal) & mask;
                }
            }
        }
        return result;
    }
}
