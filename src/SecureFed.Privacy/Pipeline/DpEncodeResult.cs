namespace SecureFed.Privacy.Pipeline;

/// <summary>What happened while encoding one client's update.</summary>
/// <param name="Clipped">True when the update's L2 norm exceeded the clip norm and it was scaled down.</param>
/// <param name="OriginalNorm">The update's L2 norm before clipping.</param>
/// <param name="RoundingAttempts">Conditional rounding attempts used (1 when the first rounding met the bound).</param>
public readonly record struct DpEncodeResult(bool Clipped, double OriginalNorm, int RoundingAttempts);
