using System.Numerics;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Privacy.Sampling;

/// <summary>
/// The discrete Gaussian N_Z(0, sigma^2), P(x) proportional to exp(-x^2 / (2 sigma^2)) over the integers, with
/// rational sigma^2 = numerator / denominator, sampled exactly by rejection from a discrete Laplace with scale
/// t = floor(sigma) + 1 (Canonne, Kamath and Steinke 2020, Algorithm 3). The acceptance test is
/// Bernoulli(exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2))) with the exponent kept as the exact fraction
/// a^2 / B, a = |Y|·den·t - num, B = 2·num·den·t^2 (UInt128; BigInteger only in the far tail).
/// </summary>
public sealed class DiscreteGaussianSampler : IIntegerNoiseSampler, IBufferedNoiseSampler
{
    // num, den < 2^62 keeps B = 2·num·den·t^2 below 2^128: t^2 <= 4·num/den when sigma >= 1, so B <= 8·num^2 < 2^127;
    // when sigma < 1, t = 1 and B = 2·num·den < 2^125.
    private const ulong MaxParameter = 1UL << 62;

    private readonly ulong _t;
    private readonly UInt128 _denTimesT;
    private readonly UInt128 _exponentDenominator;

    /// <summary>Creates the sampler for sigma^2 = <paramref name="sigmaSquaredNumerator"/> / <paramref name="sigmaSquaredDenominator"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The denominator is 0, or either part is 2^62 or more.</exception>
    public DiscreteGaussianSampler(ulong sigmaSquaredNumerator, ulong sigmaSquaredDenominator)
    {
        if (sigmaSquaredDenominator == 0 || sigmaSquaredDenominator >= MaxParameter)
        {
            throw new ArgumentOutOfRangeException(nameof(sigmaSquaredDenominator), "sigma^2 denominator must be in [1, 2^62)");
        }
        if (sigmaSquaredNumerator >= MaxParameter)
        {
            throw new ArgumentOutOfRangeException(nameof(sigmaSquaredNumerator), "sigma^2 numerator must be below 2^62");
        }
        VarianceNumerator = sigmaSquaredNumerator;
        VarianceDenominator = sigmaSquaredDenominator;
        // floor(sqrt(n/d)) = floor(sqrt(floor(n/d))), so an integer square root suffices.
        _t = IntegerSqrt(sigmaSquaredNumerator / sigmaSquaredDenominator) + 1;
        _denTimesT = (UInt128)sigmaSquaredDenominator * _t;
        _exponentDenominator = 2 * (UInt128)sigmaSquaredNumerator * sigmaSquaredDenominator * ((UInt128)_t * _t);
    }

    /// <inheritdoc />
    public ulong VarianceNumerator { get; }

    /// <inheritdoc />
    public ulong VarianceDenominator { get; }

    /// <summary>The discrete Laplace scale t = floor(sigma) + 1 used as the proposal.</summary>
    public ulong LaplaceScale => _t;

    /// <inheritdoc />
    public void Sample(IRandomSource random, Span<long> destination) =>
        IBufferedNoiseSampler.Fill(this, VarianceNumerator, random, destination);

    long IBufferedNoiseSampler.Next(RandomWordBuffer random) => Next(random);

    internal long Next(RandomWordBuffer random)
    {
        if (VarianceNumerator == 0)
        {
            return 0;
        }
        while (true)
        {
            long y = DiscreteLaplace.Sample(random, _t);
            ulong magnitude = (ulong)Math.Abs(y);
            if (Accept(random, magnitude))
            {
                return y;
            }
        }
    }

    private bool Accept(RandomWordBuffer random, ulong magnitude)
    {
        // a = |Y|·den·t - num (its sign does not matter, it is squared).
        UInt128 high = UInt128.Zero;
        UInt128 scaled = MultiplyChecked(magnitude, _denTimesT, ref high);
        if (high == UInt128.Zero)
        {
            UInt128 num = VarianceNumerator;
            UInt128 a = scaled >= num ? scaled - num : num - scaled;
            if (a <= ulong.MaxValue)
            {
                return ExactBernoulliExp.ExpMinus(random, a * a, _exponentDenominator);
            }
        }
        // Far tail: the squared exponent numerator exceeds 128 bits.
        BigInteger wide = ((BigInteger)magnitude * (BigInteger)_denTimesT) - VarianceNumerator;
        return ExactBernoulliExp.ExpMinus(random, wide * wide, _exponentDenominator);
    }

    private static UInt128 MultiplyChecked(ulong a, UInt128 b, ref UInt128 overflow)
    {
        // b < 2^94 (den < 2^62, t < 2^32); a·b overflows 128 bits only when a is enormous.
        UInt128 lowPart = (UInt128)a * (ulong)b;
        UInt128 highPart = (UInt128)a * (ulong)(b >> 64);
        if ((highPart >> 64) != UInt128.Zero)
        {
            overflow = UInt128.One;
            return UInt128.Zero;
        }
        UInt128 shifted = highPart << 64;
        UInt128 sum = lowPart + shifted;
        if (sum < lowPart)
        {
            overflow = UInt128.One;
            return UInt128.Zero;
        }
        return sum;
    }

    internal static ulong IntegerSqrt(ulong x)
    {
        // Newton's method on integers, starting above the root.
        if (x < 2)
        {
            return x;
        }
        ulong r = (ulong)1 << ((64 - BitOperations.LeadingZeroCount(x) + 1) / 2);
        while (true)
        {
            ulong next = (r + (x / r)) >> 1;
            if (next >= r)
            {
                return r;
            }
            r = next;
        }
    }
}
