using SecureFed.Primitives.Randomness;

namespace SecureFed.Privacy.Sampling;

/// <summary>
/// The symmetric Skellam distribution Sk(mu): the difference of two independent Poisson(mu/2) variables, with mean 0
/// and variance mu = numerator / denominator (Agarwal, Kairouz and Liu 2021). Sampled exactly through
/// <see cref="ExactPoisson"/>; the cost per sample grows like sqrt(mu) (linearly below mu = 32), so the discrete
/// Gaussian is the fast default and Skellam the alternative.
/// </summary>
public sealed class SkellamSampler : IIntegerNoiseSampler, IBufferedNoiseSampler
{
    // 2^40 bounds the work per sample (O(sqrt(mu)) draws) and keeps every product of the Poisson samplers in 128 bits.
    private const ulong MaxVariance = 1UL << 40;

    /// <summary>Creates the sampler for variance mu = <paramref name="varianceNumerator"/> / <paramref name="varianceDenominator"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The denominator is 0 or 2^62 or more, or mu exceeds 2^40.</exception>
    public SkellamSampler(ulong varianceNumerator, ulong varianceDenominator)
    {
        if (varianceDenominator == 0 || varianceDenominator >= 1UL << 62)
        {
            throw new ArgumentOutOfRangeException(nameof(varianceDenominator), "variance denominator must be in [1, 2^62)");
        }
        if (varianceNumerator / varianceDenominator >= MaxVariance)
        {
            throw new ArgumentOutOfRangeException(nameof(varianceNumerator), "Skellam variance must be below 2^40");
        }
        VarianceNumerator = varianceNumerator;
        VarianceDenominator = varianceDenominator;
    }

    /// <inheritdoc />
    public ulong VarianceNumerator { get; }

    /// <inheritdoc />
    public ulong VarianceDenominator { get; }

    /// <inheritdoc />
    public void Sample(IRandomSource random, Span<long> destination) =>
        IBufferedNoiseSampler.Fill(this, VarianceNumerator, random, destination);

    long IBufferedNoiseSampler.Next(RandomWordBuffer random) => Next(random);

    internal long Next(RandomWordBuffer random)
    {
        // Each Poisson has rate mu/2 = numerator / (2·denominator); 2·denominator < 2^63 fits a ulong.
        ulong halfDenominator = 2 * VarianceDenominator;
        return ExactPoisson.Sample(random, VarianceNumerator, halfDenominator)
            - ExactPoisson.Sample(random, VarianceNumerator, halfDenominator);
    }
}
