using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Lattice.Tests;

public sealed class RingTests
{
    [Theory]
    [InlineData(36, 4096, 68719403009UL)]
    [InlineData(36, 4096, 68719230977UL)]
    [InlineData(37, 4096, 137438822401UL)]
    [InlineData(43, 8192, 8796092858369UL)]
    [InlineData(44, 8192, 17592184717313UL)]
    public void SealDefaultPrimesAreRecognisedAsNttPrimes(int bits, int degree, ulong prime)
    {
        Assert.True(PrimeSearch.IsNttPrime(prime, degree));
        Assert.Contains(prime, PrimeSearch.NttPrimes(bits, degree, 3));
    }

    [Fact]
    public void PrimeGenerationMatchesSealsChoiceForN4096()
    {
        // SEAL 4.1 BFVDefault(4096) = {0xffffee001, 0xffffc4001, 0x1ffffe0001} (printed by node-seal).
        var p = SecureFed.Lattice.Bfv.BfvParameters.SealDefault(4096, 32);
        Assert.Equal(new ulong[] { 68719403009, 68719230977, 137438822401 }, p.Primes);
        var p8 = SecureFed.Lattice.Bfv.BfvParameters.SealDefault(8192, 32);
        Assert.Equal(new ulong[] { 8796092858369, 8796092792833, 17592186028033, 17592185438209, 17592184717313 }, p8.Primes);
    }

    [Theory]
    [InlineData(0UL, false)]
    [InlineData(1UL, false)]
    [InlineData(2UL, true)]
    [InlineData(561UL, false)] // Carmichael
    [InlineData(3215031751UL, false)] // strong pseudoprime to bases 2, 3, 5, 7
    [InlineData(18446744073709551557UL, true)] // largest 64-bit prime
    [InlineData(18446744073709551555UL, false)]
    [InlineData(3825123056546413051UL, false)] // strong pseudoprime to bases 2..23
    public void MillerRabinIsDeterministic(ulong n, bool prime) => Assert.Equal(prime, PrimeSearch.IsPrime(n));

    [Property(MaxTest = 200)]
    public void MillerRabinAgreesWithTrialDivisionOnSmallNumbers(uint seed)
    {
        ulong n = seed % 200000;
        bool trial = n >= 2;
        for (ulong d = 2; d * d <= n && trial; d++)
        {
            trial = n % d != 0;
        }
        Assert.Equal(trial, PrimeSearch.IsPrime(n));
    }

    [Property(MaxTest = 300)]
    public void ModularArithmeticMatchesBigInteger(ulong a0, ulong b0, ulong x)
    {
        var m = new Modulus(1152921504606830593UL); // a 60-bit prime = 1 mod 2^14
        ulong p = m.Value;
        ulong a = a0 % p, b = b0 % p;
        Assert.Equal((ulong)((UInt128)a * b % p), ModArith.Mul(a, b, m));
        Assert.Equal((a + b) % p, ModArith.Add(a, b, p));
        Assert.Equal((a + p - b) % p, ModArith.Sub(a, b, p));
        Assert.Equal(x % p, ModArith.Reduce64(x, m));
        ulong shoup = ModArith.ShoupPrecompute(b, p);
        Assert.Equal((ulong)((UInt128)x * b % p), ModArith.MulShoup(x, b, shoup, p));
        ulong hi = Math.BigMul(x, a0, out ulong lo);
        UInt128 wide = ((UInt128)hi << 64) | lo;
        Assert.Equal((ulong)(wide % p), ModArith.Reduce128(hi, lo, p, m.RatioHi, m.RatioLo));
    }

    [Fact]
    public void ArithmeticEdgeCases()
    {
        var m = new Modulus(1152921504606830593UL);
        ulong p = m.Value;
        Assert.Equal(0UL, ModArith.Add(p - 1, 1, p));
        Assert.Equal(p - 1, ModArith.Sub(0, 1, p));
        Assert.Equal(1UL, ModArith.Mul(p - 1, p - 1, m));
        Assert.Equal(ulong.MaxValue % p, ModArith.Reduce64(ulong.MaxValue, m));
        Assert.Equal((ulong)(((UInt128)(p - 1) * (p - 1)) % p), ModArith.Reduce128(Math.BigMul(p - 1, p - 1, out ulong lo), lo, p, m.RatioHi, m.RatioLo));
        Assert.Equal(0UL, ModArith.ReduceOnce(p, p));
        Assert.Equal(1UL, ModArith.Mul(ModArith.InversePrime(12345, m), 12345, m));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Modulus(1UL << 60));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Modulus(1));
        Assert.Throws<ArgumentException>(() => ModArith.InversePrime(p, m));
    }

    [Theory]
    [InlineData(8, 30)]
    [InlineData(64, 40)]
    [InlineData(1024, 60)]
    [InlineData(4096, 36)]
    public void NttRoundTripsAndMultipliesNegacyclically(int n, int bits)
    {
        ulong p = PrimeSearch.NttPrimes(bits, n, 1)[0];
        var m = new Modulus(p);
        var tables = new NttTables(m, n);
        using var rng = new DeterministicRandomSource(n * 100 + bits);
        var a = new ulong[n];
        var b = new ulong[n];
        Samplers.Uniform(rng, a, p);
        Samplers.Uniform(rng, b, p);
        var fa = (ulong[])a.Clone();
        var fb = (ulong[])b.Clone();
        Ntt.Forward(fa, tables);
        Assert.All(fa, v => Assert.True(v < p));
        var back = (ulong[])fa.Clone();
        Ntt.Inverse(back, tables);
        Assert.Equal(a, back);
        if (n > 1024)
        {
            return; // schoolbook is quadratic; the smaller sizes cover the product
        }
        Ntt.Forward(fb, tables);
        var prod = new ulong[n];
        PolyArith.Mul(fa, fb, prod, m);
        Ntt.Inverse(prod, tables);
        Assert.Equal(Schoolbook(a, b, m), prod);
    }

    [Fact]
    public void ForwardOutputKIsTheEvaluationAtPsiToTheOddPowerBitrevK()
    {
        const int n = 32;
        ulong p = PrimeSearch.NttPrimes(40, n, 1)[0];
        var m = new Modulus(p);
        var ntt = new NegacyclicTransform(p, n);
        var a = Enumerable.Range(0, n).Select(i => (ulong)(i * 7919 + 3) % p).ToArray();
        var f = (ulong[])a.Clone();
        ntt.Forward(f);
        for (int k = 0; k < n; k++)
        {
            ulong x = ModArith.Pow(ntt.Psi, 2 * NttTables.BitReverse((uint)k, 5) + 1, m);
            ulong acc = 0;
            for (int j = n - 1; j >= 0; j--)
            {
                acc = ModArith.Add(ModArith.Mul(acc, x, m), a[j], p);
            }
            Assert.Equal(acc, f[k]);
        }
    }

    [Fact]
    public void PsiIsTheSmallestPrimitive2NthRoot()
    {
        ulong p = PrimeSearch.NttPrimes(20, 8, 1)[0];
        var m = new Modulus(p);
        var t = new NttTables(m, 8);
        Assert.Equal(p - 1, ModArith.Pow(t.Psi, 8, m));
        for (ulong x = 2; x < t.Psi; x++)
        {
            Assert.NotEqual(p - 1, ModArith.Pow(x, 8, m));
        }
    }

    [Fact]
    public void VectorisedAddAndSubMatchScalar()
    {
        ulong p = PrimeSearch.NttPrimes(59, 64, 1)[0];
        using var rng = new DeterministicRandomSource(7);
        var a = new ulong[37];
        var b = new ulong[37];
        Samplers.Uniform(rng, a, p);
        Samplers.Uniform(rng, b, p);
        a[0] = p - 1; b[0] = p - 1; a[1] = 0; b[1] = p - 1;
        var sum = (ulong[])a.Clone();
        PolyArith.AddInPlace(sum, b, p);
        var diff = (ulong[])a.Clone();
        PolyArith.SubInPlace(diff, b, p);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal((ulong)(((UInt128)a[i] + b[i]) % p), sum[i]);
            Assert.Equal((ulong)(((UInt128)a[i] + p - b[i]) % p), diff[i]);
        }
    }

    [Fact]
    public void SamplersStayInTheirSupportAndHaveTheRightSpread()
    {
        using var rng = new DeterministicRandomSource(11);
        var t = new sbyte[30000];
        Samplers.Ternary(rng, t);
        Assert.All(t, v => Assert.InRange(v, -1, 1));
        Assert.InRange(t.Count(v => v == 0), 9000, 11000);
        var e = new sbyte[30000];
        Samplers.CenteredBinomial(rng, e);
        Assert.All(e, v => Assert.InRange(v, -Samplers.ErrorBound, Samplers.ErrorBound));
        double variance = e.Select(v => (double)v * v).Average();
        Assert.InRange(variance, 9.8, 11.2); // 21/2 = 10.5
    }

    [Fact]
    public void SeedExpansionIsDeterministicAndUniformLooking()
    {
        var ring = new RnsRing(64, PrimeSearch.NttPrimes(40, 64, 2));
        var seed = new byte[32];
        seed[0] = 1;
        var a = new ulong[128];
        var b = new ulong[128];
        SeedExpander.ExpandNtt(seed, ring, 2, a);
        SeedExpander.ExpandNtt(seed, ring, 2, b);
        Assert.Equal(a, b);
        seed[0] = 2;
        SeedExpander.ExpandNtt(seed, ring, 2, b);
        Assert.NotEqual(a, b);
        Assert.All(a.Take(64), v => Assert.True(v < ring.Moduli[0].Value));
        Assert.Throws<SecureFed.Lattice.Bfv.HeFormatException>(() => SeedExpander.ExpandNtt(new byte[31], ring, 2, b));
    }

    internal static ulong[] Schoolbook(ulong[] a, ulong[] b, Modulus m)
    {
        int n = a.Length;
        var r = new BigInteger[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                BigInteger prod = (BigInteger)a[i] * b[j];
                int k = i + j;
                if (k >= n)
                {
                    r[k - n] -= prod; // X^N = -1
                }
                else
                {
                    r[k] += prod;
                }
            }
        }
        return r.Select(v => (ulong)(((v % m.Value) + m.Value) % m.Value)).ToArray();
    }
}
