using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Quantization;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

public class ConfigurationAndQuantizationTests
{
    [Fact]
    public void Invalid_configurations_name_the_bad_field()
    {
        using var r = new ManualRound(4);
        RoundConfiguration Copy() => new()
        {
            RoundId = r.Configuration.RoundId,
            Vectors = [new VectorSpec { Length = 4, Bits = 32 }],
            Threshold = 3,
            Roster = r.Configuration.Roster,
        };
        var c = Copy();
        c.Threshold = 2;
        Assert.Equal("Threshold", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(c)).Field);
        c = Copy();
        c.Vectors = [new VectorSpec { Length = 4, Bits = 65 }];
        Assert.Equal("Vectors[0].Bits", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(c)).Field);
        c = Copy();
        c.RoundId = new byte[3];
        Assert.Equal("RoundId", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(c)).Field);
        c = Copy();
        c.Roster = [c.Roster[1], c.Roster[0], c.Roster[2], c.Roster[3]];
        Assert.Equal("Roster[1].ClientId", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(c)).Field);
        c = Copy();
        c.Roster = [c.Roster[0], new RosterEntry { ClientId = 2, IdentityKey = c.Roster[0].IdentityKey }, c.Roster[2], c.Roster[3]];
        Assert.Equal("Roster[1].IdentityKey", Assert.Throws<InvalidRoundConfigurationException>(() => RoundParameters.Create(c)).Field);
    }

    [Fact]
    public void Quantizer_refuses_configurations_that_cannot_hold_the_sum()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointQuantizer.Create(1.0, 16, 40_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointQuantizer.Create(1.0, 8, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointQuantizer.Create(0, 32, 2));
        var q = FixedPointQuantizer.Create(1.0, 16, 32_767);
        Assert.Equal(1, q.MaxMagnitude);
    }

    [Theory]
    [InlineData(16, 100)]
    [InlineData(32, 1000)]
    [InlineData(64, 10)]
    public void Quantization_is_unbiased_and_the_sum_of_n_clients_decodes_without_wrapping(int bits, int clients)
    {
        var q = FixedPointQuantizer.Create(1.0, bits, clients);
        using var rng = new DeterministicRandomSource(bits);
        double[] x = [.. Enumerable.Range(0, 4000).Select(_ => 0.3 / q.Scale)]; // 0.3 of a quantization step
        var enc = new ulong[x.Length];
        q.Quantize(x, enc, rng);
        var dec = new double[x.Length];
        q.Dequantize(enc, dec);
        double mean = dec.Average() * q.Scale;
        Assert.InRange(mean, 0.3 - 0.05, 0.3 + 0.05); // Bernoulli(0.3) mean over 4000 draws: sd 0.007

        // n clients all at +clip and all at -clip: the extremes of the sum still decode exactly.
        ulong mask = Primitives.Vectors.ModularArithmetic.Mask(bits);
        var one = new ulong[2];
        q.Quantize([1.0, -1.0], one, rng);
        ulong[] sum = [(one[0] * (ulong)clients) & mask, (one[1] * (ulong)clients) & mask];
        var total = new double[2];
        q.Dequantize(sum, total);
        Assert.Equal(clients, total[0], 6);
        Assert.Equal(-clients, total[1], 6);
    }

    [Fact]
    public void Quantizing_with_words_drawn_up_front_equals_drawing_one_per_element()
    {
        var q = FixedPointQuantizer.Create(2.0, 32, 100);
        double[] x = [.. Enumerable.Range(0, 500).Select(i => Math.Sin(i) * 2.5)]; // some beyond the clip range
        var oneByOne = new ulong[x.Length];
        using (var rng = new DeterministicRandomSource(5))
        {
            q.Quantize(x, oneByOne, rng);
        }
        var words = new ulong[x.Length];
        using (var rng = new DeterministicRandomSource(5))
        {
            rng.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
        }
        var upFront = new ulong[x.Length];
        q.Quantize(x, upFront, words);
        Assert.Equal(oneByOne, upFront);
        Assert.Throws<ArgumentException>(() => q.Quantize(x, upFront, words.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => q.Quantize([double.NaN], new ulong[1], new ulong[1]));
    }
}
