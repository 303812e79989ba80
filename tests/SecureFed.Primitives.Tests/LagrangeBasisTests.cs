using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Shamir;

namespace SecureFed.Primitives.Tests;

public class LagrangeBasisTests
{
    // The textbook formula, one Fermat inversion per coefficient: what the basis computed before it inverted all the
    // denominators at once.
    private static ulong Direct(ReadOnlySpan<uint> holders, int i)
    {
        ulong num = 1, den = 1;
        for (int j = 0; j < holders.Length; j++)
        {
            if (j != i)
            {
                num = MersenneField.Mul(num, holders[j]);
                den = MersenneField.Mul(den, MersenneField.Sub(holders[j], holders[i]));
            }
        }
        return MersenneField.Mul(num, MersenneField.Inverse(den));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(21)]
    [InlineData(251)]
    [InlineData(513)] // past the stack buffers
    public void Coefficients_equal_the_textbook_formula(int t)
    {
        using var rng = new DeterministicRandomSource(t);
        // Distinct ids, unsorted, including the largest possible id.
        var ids = new HashSet<uint> { uint.MaxValue };
        while (ids.Count < t)
        {
            ids.Add((uint)(rng.NextUInt64() % 20_000) + 1);
        }
        uint[] holders = [.. ids];
        var basis = new LagrangeBasis(holders);
        for (int i = 0; i < t; i++)
        {
            Assert.Equal(holders[i], basis.Holder(i));
            Assert.Equal(Direct(holders, i), basis.Coefficient(i));
        }
    }

    [Fact]
    public void Coefficients_sum_to_one()
    {
        // sum_i lambda_i = 1: interpolating the constant polynomial 1 at x = 0.
        uint[] holders = [.. Enumerable.Range(1, 40).Select(i => (uint)(i * 250 + 17))];
        var basis = new LagrangeBasis(holders);
        ulong sum = 0;
        for (int i = 0; i < basis.Count; i++)
        {
            sum = MersenneField.Add(sum, basis.Coefficient(i));
        }
        Assert.Equal(1UL, sum);
    }
}
