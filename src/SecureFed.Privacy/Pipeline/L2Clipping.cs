namespace SecureFed.Privacy.Pipeline;

/// <summary>
/// L2 clipping as the encoder applies it: x is scaled by min(1, c / ||x||). Exposed so a simulation can form the
/// reference sum of CLIPPED updates that the decoded estimate is unbiased for.
/// </summary>
public static class L2Clipping
{
    /// <summary>The scale factor min(1, c / ||x||) and the norm ||x||.</summary>
    /// <exception cref="ArgumentException">x holds NaN or infinity, or c is not positive and finite.</exception>
    public static double Factor(ReadOnlySpan<double> update, double clipNorm, out double norm)
    {
        if (!(clipNorm > 0) || double.IsInfinity(clipNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(clipNorm), "clip norm must be positive and finite");
        }
        double sumSquares = 0;
        foreach (double v in update)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("update holds NaN or infinity", nameof(update));
            }
            sumSquares += v * v;
        }
        norm = Math.Sqrt(sumSquares);
        return norm > clipNorm ? clipNorm / norm : 1.0;
    }

    /// <summary>Writes the clipped update to <paramref name="destination"/>; returns true when clipping changed it.</summary>
    public static bool ClipInto(ReadOnlySpan<double> update, double clipNorm, Span<double> destination)
    {
        if (destination.Length != update.Length)
        {
            throw new ArgumentException("destination length differs from the update's", nameof(destination));
        }
        double factor = Factor(update, clipNorm, out _);
        for (int i = 0; i < update.Length; i++)
        {
            destination[i] = update[i] * factor;
        }
        return factor < 1.0;
    }
}
