using System.Numerics;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Shamir;

namespace SecureFed.Primitives.Tests;

public class MersenneFieldTests
{
    private static readonly BigInteger P = MersenneField.P;

    [Fact]
    public void Arithmetic_matches_BigInteger_including_edges()
    {
        ulong[] edges = [0, 1, 2, MersenneField.P - 1, MersenneField.P - 2, 1UL << 60, (1UL << 61) - 3];
        using var rng = new DeterministicRandomSource(1);
        var values = edges.Concat(Enumerable.Range(0, 200).Select(_ => rng.NextBelow(MersenneField.P))).ToArray();
        foreach (ulong a in values)
        {
            foreach (ulong b in values.Take(40))
            {
                Assert.Equal((ulong)((a + (BigInteger)b) % P), MersenneField.Add(a, b));
                Assert.Equal((ulong)(((a - (BigInteger)b) % P + P) % P), MersenneField.Sub(a, b));
                Assert.Equal((ulong)(a * (BigInteger)b % P), MersenneField.Mul(a, b));
            }
            if (a != 0)
            {
                Assert.Equal(1UL, MersenneField.Mul(a, MersenneField.Inverse(a)));
            }
        }
        Assert.Throws<DivideByZeroException>(() => MersenneField.Inverse(0));
    }
}
