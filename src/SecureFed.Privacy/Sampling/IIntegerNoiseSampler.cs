using SecureFed.Primitives.Randomness;

namespace SecureFed.Privacy.Sampling;

/// <summary>
/// An exact sampler of integer noise (discrete Gaussian or Skellam). Implementations use integer and rational
/// arithmetic only: no floating point touches the sampling path (Mironov 2012 shows how floating-point noise leaks).
/// </summary>
public interface IIntegerNoiseSampler
{
    /// <summary>Numerator of the noise variance parameter (sigma^2 for the discrete Gaussian, mu for Skellam).</summary>
    ulong VarianceNumerator { get; }

    /// <summary>Denominator of the noise variance parameter (at least 1).</summary>
    ulong VarianceDenominator { get; }

    /// <summary>Fills <paramref name="destination"/> with independent samples drawn with <paramref name="random"/>.</summary>
    void Sample(IRandomSource random, Span<long> destination);
}
