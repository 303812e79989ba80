using SecureFed.Lattice.Bfv;
using Xunit.Abstractions;

namespace SecureFed.Lattice.Tests;

/// <summary>The automatic layout (protocol-spec/he.md section 5.1): the smallest upload among every manual layout.</summary>
public sealed class AutomaticLayoutTests(ITestOutputHelper output)
{
    private static AggregationOptions Round(int clients, int length) => new()
    {
        Clients = clients,
        InputRange = (1UL << 32) / (ulong)clients,
        Bits = 32,
        // Every client a decryptor, a strict majority decrypting: bench he's pipeline, the largest shares count.
        Decryptors = clients,
        Threshold = clients / 2 + 1,
        VectorLength = length,
    };

    [Theory]
    [InlineData(10, 1_000_000, 2.5)]
    [InlineData(1000, 1_000_000, 3.0)]
    public void DefaultUploadMeetsTheExpansionGoal(int clients, int length, double goal)
    {
        var plan = AggregationPlan.Create(Round(clients, length));
        double expansion = plan.UploadBytes * 8.0 / length / 32;
        output.WriteLine($"{clients} clients: N = {plan.Parameters.Degree}, lanes {plan.Options.Lanes}, bodies {plan.Options.Bodies}, upload level {plan.UploadLevel}, {expansion:F3}x");
        Assert.True(plan.Parameters.IsStandardSecure);
        Assert.True(plan.NoiseBudgetBits >= 1);
        Assert.True(expansion <= goal, $"{expansion:F3}x > {goal}x");
    }

    [Theory]
    [InlineData(10, 1_000_000)]
    [InlineData(10, 8)]
    [InlineData(200, 100_000)]
    [InlineData(3, 0)]
    public void NoManualLayoutHasASmallerUpload(int clients, int length)
    {
        var options = Round(clients, length);
        var auto = AggregationPlan.Create(options);
        for (int lanes = 1; lanes <= 2; lanes++)
        {
            for (int bodies = 1; bodies <= AggregationPlan.MaxAutoBodies; bodies++)
            {
                var manual = AggregationPlan.Create(options with { Lanes = lanes, Bodies = bodies });
                Assert.True(auto.UploadBitsPerValue <= manual.UploadBitsPerValue, $"lanes {lanes} bodies {bodies}: {manual.UploadBitsPerValue} < {auto.UploadBitsPerValue}");
            }
        }
    }

    [Fact]
    public void ShortVectorsKeepOneSmallCiphertextAndManualFieldsStay()
    {
        var small = AggregationPlan.Create(Round(10, 8));
        Assert.Equal((1, 1, 4096), (small.Options.Lanes, small.Options.Bodies, small.Parameters.Degree));
        var manual = AggregationPlan.Create(Round(10, 1_000_000) with { Lanes = 1, Bodies = 3 });
        Assert.Equal((1, 3), (manual.Options.Lanes, manual.Options.Bodies));
        // An offset of the full value width leaves no room for lanes.
        var offset = AggregationPlan.Create(Round(10, 1_000_000) with { InputOffset = 1UL << 32 });
        Assert.Equal(1, offset.Options.Lanes);
        Assert.Contains("Lanes", Assert.Throws<HeParameterException>(() => AggregationPlan.Create(Round(10, 8) with { Lanes = -1 })).Message, StringComparison.Ordinal);
        Assert.Contains("Bodies", Assert.Throws<HeParameterException>(() => AggregationPlan.Create(Round(10, 8) with { Bodies = 17 })).Message, StringComparison.Ordinal);
        Assert.Contains("VectorLength", Assert.Throws<HeParameterException>(() => AggregationPlan.Create(Round(10, 8) with { VectorLength = -1 })).Message, StringComparison.Ordinal);
    }
}
