namespace SecureFed.Protocol.Updates;

/// <summary>
/// The server (or result reader) side of <see cref="FloatEncodingParameters"/>: from the two sums of a round (the
/// weighted-update sum mod 2^Bits and the weight sum mod 2^64) and the survivor count, the weighted average.
/// Checks that the sums are of the right shape and that the weight sum is possible for that many survivors.
/// </summary>
public sealed class FloatAverageDecoder
{
    /// <summary>Creates the decoder for <paramref name="parameters"/>.</summary>
    public FloatAverageDecoder(FloatEncodingParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    /// <summary>The round's encoding.</summary>
    public FloatEncodingParameters Parameters { get; }

    /// <summary>Decodes the round's sums, given as its vectors in order (weighted update, weight).</summary>
    /// <exception cref="ArgumentException">Not two vectors of the encoding's shape, or see the span overload.</exception>
    public DecodedAverage Decode(IReadOnlyList<ulong[]> sums, int survivors)
    {
        ArgumentNullException.ThrowIfNull(sums);
        if (sums.Count != 2 || sums[1] is not { Length: 1 } || sums[0] is null)
        {
            throw new ArgumentException("expected the weighted-update sum and the one-element weight sum", nameof(sums));
        }
        return Decode(sums[0], sums[1][0], survivors);
    }

    /// <summary>Decodes <paramref name="valueSum"/> and <paramref name="weightUnitsSum"/> from <paramref name="survivors"/> clients.</summary>
    /// <exception cref="ArgumentException">
    /// Wrong length, a word not below 2^Bits, survivors outside [1, Clients], or a weight sum that those survivors
    /// cannot have produced (each sends 1 to MaxWeight x 2^16 units).
    /// </exception>
    public DecodedAverage Decode(ReadOnlySpan<ulong> valueSum, ulong weightUnitsSum, int survivors)
    {
        FloatEncodingParameters p = Parameters;
        if (valueSum.Length != p.Length)
        {
            throw new ArgumentException($"the sum must have {p.Length} coordinates, got {valueSum.Length}", nameof(valueSum));
        }
        if (survivors < 1 || survivors > p.Clients)
        {
            throw new ArgumentOutOfRangeException(nameof(survivors), survivors, $"survivors must be in [1, {p.Clients}]");
        }
        if (weightUnitsSum < (ulong)survivors || weightUnitsSum > (ulong)survivors * p.MaxWeightUnits)
        {
            throw new ArgumentException(
                $"a weight sum of {weightUnitsSum} units is impossible for {survivors} survivors (each sends 1 to {p.MaxWeightUnits})", nameof(weightUnitsSum));
        }
        if (p.Bits < 64)
        {
            for (int i = 0; i < valueSum.Length; i++)
            {
                if (valueSum[i] >> p.Bits != 0)
                {
                    throw new ArgumentException($"sum word {i} is not below 2^{p.Bits}", nameof(valueSum));
                }
            }
        }
        var average = new double[valueSum.Length];
        p.Quantizer.Dequantize(valueSum, average);
        double weightSum = weightUnitsSum * FloatEncodingParameters.WeightUnit;
        for (int i = 0; i < average.Length; i++)
        {
            average[i] /= weightSum;
        }
        return new DecodedAverage(average, survivors, weightSum, p.AverageErrorBound(survivors, weightSum), p.ClipNorm);
    }
}
