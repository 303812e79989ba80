using System.Reflection;
using SecureFed.Primitives.Randomness;
using SecureFed.Privacy.Sampling;

namespace SecureFed.Privacy.Tests;

public sealed class SamplerTests
{
    private static long[] Draw(IIntegerNoiseSampler sampler, int count, long seed)
    {
        var samples = new long[count];
        using var rng = new DeterministicRandomSource(seed);
        sampler.Sample(rng, samples);
        return samples;
    }

    [Theory]
    [InlineData(4UL, 1UL, -9L, 9L)]      // sigma^2 = 4
    [InlineData(7UL, 3UL, -6L, 6L)]      // sigma^2 = 7/3: fractional rational
    [InlineData(1UL, 5UL, -2L, 2L)]      // sigma^2 = 0.2 < 1: t = 1
    [InlineData(400UL, 1UL, -60L, 60L)]  // sigma = 20
    public void DiscreteGaussianFitsItsPmf(ulong num, ulong den, long lo, long hi)
    {
        var samples = Draw(new DiscreteGaussianSampler(num, den), 200_000, 1);
        var (stat, df) = Stats.ChiSquare(samples, Stats.DiscreteGaussianPmf((double)num / den), lo, hi);
        Assert.True(stat < Stats.ChiSquareCritical(df), $"chi-square {stat:F1} with {df} df exceeds {Stats.ChiSquareCritical(df):F1}");
    }

    [Theory]
    [InlineData(9UL, 1UL)]
    [InlineData(1_000_000UL, 1UL)]
    [InlineData(1UL << 50, 3UL)] // sigma ~ 2^24: the 128-bit acceptance path
    public void DiscreteGaussianMeanAndVarianceMatchTheory(ulong num, ulong den)
    {
        const int n = 100_000;
        var samples = Draw(new DiscreteGaussianSampler(num, den), n, 2);
        double sigma2 = (double)num / den;
        // For sigma >= 3 the discrete Gaussian's variance equals sigma^2 to within 1e-70 relative (Poisson summation).
        var (mean, variance) = Stats.MeanVariance(samples);
        Assert.True(Math.Abs(mean) < 5 * Math.Sqrt(sigma2 / n), $"mean {mean}");
        Assert.True(Math.Abs(variance - sigma2) < 5 * sigma2 * Math.Sqrt(2.0 / n), $"variance {variance} vs {sigma2}");
    }

    [Fact]
    public void DiscreteGaussianIsSymmetric()
    {
        var samples = Draw(new DiscreteGaussianSampler(25, 2), 200_000, 3);
        for (int k = 1; k <= 6; k++)
        {
            long pos = samples.LongCount(x => x == k);
            long neg = samples.LongCount(x => x == -k);
            Assert.True(Math.Abs(pos - neg) < 5 * Math.Sqrt(pos + neg), $"k={k}: {pos} vs {neg}");
        }
        long above = samples.LongCount(x => x > 0);
        long below = samples.LongCount(x => x < 0);
        Assert.True(Math.Abs(above - below) < 5 * Math.Sqrt(above + below));
    }

    [Fact]
    public void ZeroScaleGivesZero()
    {
        Assert.All(Draw(new DiscreteGaussianSampler(0, 1), 1000, 4), x => Assert.Equal(0, x));
        Assert.All(Draw(new SkellamSampler(0, 7), 1000, 4), x => Assert.Equal(0, x));
    }

    [Theory]
    [InlineData(5UL, 2UL, -9L, 9L)]   // mu = 2.5
    [InlineData(40UL, 1UL, -22L, 22L)] // mu = 40
    [InlineData(1UL, 3UL, -2L, 2L)]   // mu = 1/3 (only the remainder piece)
    [InlineData(4000UL, 1UL, -250L, 250L)] // mu = 4000: both Poissons on the plateau sampler
    public void SkellamFitsItsPmf(ulong num, ulong den, long lo, long hi)
    {
        var samples = Draw(new SkellamSampler(num, den), 100_000, 5);
        double mu = (double)num / den;
        var (stat, df) = Stats.ChiSquare(samples, Stats.SkellamPmf(mu), lo, hi);
        Assert.True(stat < Stats.ChiSquareCritical(df), $"chi-square {stat:F1} with {df} df exceeds {Stats.ChiSquareCritical(df):F1}");
        var (mean, variance) = Stats.MeanVariance(samples);
        Assert.True(Math.Abs(mean) < 5 * Math.Sqrt(mu / samples.Length));
        Assert.True(Math.Abs(variance - mu) < 6 * Math.Sqrt((2 * mu * mu) + mu) / Math.Sqrt(samples.Length), $"variance {variance} vs {mu}");
    }

    [Theory]
    [InlineData(3UL, 2UL)]   // gamma = 1.5: one Bernoulli(e^-1) then Bernoulli(e^-1/2)
    [InlineData(1UL, 7UL)]
    [InlineData(22UL, 7UL)]
    public void BernoulliExpIsExact(ulong num, ulong den)
    {
        const int n = 200_000;
        using var rng = new DeterministicRandomSource(6);
        using var buffer = new RandomWordBuffer(rng);
        int ones = 0;
        for (int i = 0; i < n; i++)
        {
            ones += ExactBernoulliExp.ExpMinus(buffer, num, den) ? 1 : 0;
        }
        double p = Math.Exp(-(double)num / den);
        Assert.True(Math.Abs(ones - (n * p)) < 5 * Math.Sqrt(n * p * (1 - p)), $"{ones} vs {n * p}");
    }

    [Theory]
    [InlineData(1UL, 2UL)]
    [InlineData(7UL, 2UL)]
    [InlineData(3UL, 10UL)]
    [InlineData(16UL, 1UL)]      // the O(sqrt(lambda)) plateau sampler from here on
    [InlineData(1001UL, 3UL)]
    [InlineData(250_000UL, 7UL)]
    public void PoissonMatchesItsPmf(ulong num, ulong den)
    {
        const int n = 100_000;
        using var rng = new DeterministicRandomSource(7);
        using var buffer = new RandomWordBuffer(rng);
        var samples = new long[n];
        for (int i = 0; i < n; i++)
        {
            samples[i] = ExactPoisson.Sample(buffer, num, den);
        }
        double lambda = (double)num / den;
        long lo = Math.Max(0, (long)(lambda - (3 * Math.Sqrt(lambda))));
        long hi = (long)(lambda + (3 * Math.Sqrt(lambda))) + 1;
        double[] logFactorial = new double[hi + 2100];
        for (int i = 1; i < logFactorial.Length; i++)
        {
            logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        }
        Func<long, double> pmf = k => k < 0 || k >= logFactorial.Length ? 0 : Math.Exp(-lambda + (k * Math.Log(lambda)) - logFactorial[k]);
        var (stat, df) = Stats.ChiSquare(samples, pmf, lo, hi);
        Assert.True(stat < Stats.ChiSquareCritical(df), $"chi-square {stat:F1} with {df} df");
    }

    [Fact]
    public void UniformBelowIsUnbiasedAcrossAnAwkwardBound()
    {
        // bound = 3·2^62: naive modulo would favour the low third of the range.
        using var rng = new DeterministicRandomSource(8);
        using var buffer = new RandomWordBuffer(rng);
        const ulong bound = 3UL << 62;
        int[] thirds = new int[3];
        for (int i = 0; i < 30_000; i++)
        {
            thirds[(int)(buffer.NextBelow(bound) / (1UL << 62))]++;
        }
        Assert.All(thirds, c => Assert.InRange(c, 9_500, 10_500));
        UInt128 wide = (UInt128.One << 100) + 12345;
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(buffer.NextBelow(wide) < wide);
        }
    }

    [Fact]
    public void ParametersAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteGaussianSampler(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteGaussianSampler(1UL << 62, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkellamSampler(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkellamSampler(1UL << 41, 1));
        Assert.Throws<ArgumentNullException>(() => new DiscreteGaussianSampler(1, 1).Sample(null!, new long[1]));
    }

    [Theory]
    [InlineData((1UL << 62) - 1, 1UL)]          // sigma ~ 2^31: the largest accepted numerator
    [InlineData(1UL, (1UL << 62) - 1)]          // sigma ~ 2^-31: almost always 0
    [InlineData((1UL << 62) - 1, (1UL << 62) - 3)] // sigma^2 ~ 1 with 62-bit parts: the 128-bit exponent path
    public void ExtremeParametersSampleWithoutOverflow(ulong num, ulong den)
    {
        var samples = Draw(new DiscreteGaussianSampler(num, den), 2000, 9);
        double sigma2 = (double)num / den;
        var (_, variance) = Stats.MeanVariance(samples);
        Assert.True(variance <= (sigma2 * 1.3) + 0.01 && variance >= sigma2 * 0.7 - 0.01, $"variance {variance} vs {sigma2}");
    }

    [Fact]
    public void LaplaceScaleIsFloorSigmaPlusOne()
    {
        Assert.Equal(3UL, new DiscreteGaussianSampler(4, 1).LaplaceScale);      // sigma = 2
        Assert.Equal(3UL, new DiscreteGaussianSampler(35, 4).LaplaceScale);     // sigma = 2.958
        Assert.Equal(1UL, new DiscreteGaussianSampler(1, 2).LaplaceScale);      // sigma < 1
        Assert.Equal(1_000_001UL, new DiscreteGaussianSampler(1_000_000_000_000, 1).LaplaceScale);
        Assert.Equal(1_000_000UL, new DiscreteGaussianSampler(999_999_999_999, 1).LaplaceScale);
    }

    /// <summary>
    /// Review aid for "no floating point on the sampling path": every type in the Sampling namespace is checked by
    /// reflection for float, double, decimal or Half in its fields, properties, method parameters, return types and
    /// local variables (the IL's local signature). Together with code review (the samplers use ulong, UInt128 and
    /// BigInteger only) this pins the property down against future edits.
    /// </summary>
    [Fact]
    public void SamplingTypesNeverTouchFloatingPoint()
    {
        Type[] floating = [typeof(float), typeof(double), typeof(decimal), typeof(Half)];
        bool IsFloating(Type t) => floating.Contains(t.IsByRef || t.IsArray || t.IsPointer ? t.GetElementType()! : t)
            || (t.IsGenericType && t.GetGenericArguments().Any(IsFloating));
        var types = typeof(DiscreteGaussianSampler).Assembly.GetTypes()
            .Where(t => t.Namespace == "SecureFed.Privacy.Sampling")
            .ToList();
        Assert.Contains(typeof(DiscreteGaussianSampler), types);
        Assert.Contains(typeof(SkellamSampler), types);
        Assert.Contains(typeof(RandomWordBuffer), types);
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var offenders = new List<string>();
        foreach (Type type in types)
        {
            offenders.AddRange(type.GetFields(all).Where(f => IsFloating(f.FieldType)).Select(f => $"{type.Name}.{f.Name}"));
            offenders.AddRange(type.GetProperties(all).Where(p => IsFloating(p.PropertyType)).Select(p => $"{type.Name}.{p.Name}"));
            foreach (MethodBase m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (m is MethodInfo mi && IsFloating(mi.ReturnType))
                {
                    offenders.Add($"{type.Name}.{m.Name} returns floating point");
                }
                offenders.AddRange(m.GetParameters().Where(p => IsFloating(p.ParameterType)).Select(p => $"{type.Name}.{m.Name}({p.Name})"));
                var body = m.GetMethodBody();
                if (body is not null)
                {
                    offenders.AddRange(body.LocalVariables.Where(l => IsFloating(l.LocalType)).Select(l => $"{type.Name}.{m.Name} local {l.LocalIndex}"));
                }
            }
        }
        Assert.Empty(offenders);
    }
}
