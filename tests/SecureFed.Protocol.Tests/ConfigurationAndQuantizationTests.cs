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

    // The words-up-front overload runs four elements at a time where the hardware allows; the one-word-per-element
    // overload is the scalar definition. Both must agree bit for bit on edge values (signed zeros, the clip bounds
    // and just past them, infinities, subnormals, exact and half quantization steps), edge words (u = 0, u = 0.5
    // exactly, u just below 1), every length's tail, and refuse a NaN at the same index after writing the same prefix.
    [Theory]
    [InlineData(1.0, 16, 100)]
    [InlineData(1.0, 32, 10_000)]
    [InlineData(2.5, 52, 3)]
    [InlineData(3.0, 53, 2)]
    [InlineData(1e-3, 63, 5)]
    [InlineData(7.0, 64, 1)]
    [InlineData(1e300, 64, 7)]
    public void Vector_quantization_equals_the_scalar_definition(double clip, int bits, int clients)
    {
        var q = FixedPointQuantizer.Create(clip, bits, clients);
        double step = 1 / q.Scale;
        double[] edgeValues =
        [
            0.0, -0.0, clip, -clip, Math.BitIncrement(clip), Math.BitDecrement(-clip), Math.BitDecrement(clip), Math.BitIncrement(-clip),
            double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon,
            step, -step, 0.5 * step, -0.5 * step, 1.5 * step, -2.5 * step, 3 * step, Math.BitDecrement(step), 1e-310, -1e-310,
        ];
        ulong[] edgeWords = [0, 1UL << 63, ulong.MaxValue, (1UL << 11) - 1, 1UL << 11, (1UL << 63) - 1, (1UL << 63) + (1UL << 11)];
        using var random = new DeterministicRandomSource(bits);
        foreach (int length in new[] { 0, 1, 3, 4, 5, 7, 8, 9, 31, 257, 2_003 })
        {
            var x = new double[length];
            var words = new ulong[length];
            for (int i = 0; i < length; i++)
            {
                ulong r = random.NextUInt64();
                x[i] = (r % 3) switch
                {
                    0 => edgeValues[(int)((r >> 8) % (ulong)edgeValues.Length)],
                    1 => Math.Round(((r >> 11) * (1.0 / (1UL << 53)) * 3 - 1.5) * clip * q.Scale * 2) / 2 * step, // on a half step
                    _ => ((r >> 11) * (1.0 / (1UL << 53)) * 3 - 1.5) * clip,
                };
                words[i] = (r >> 4) % 4 == 0 ? edgeWords[(int)((r >> 16) % (ulong)edgeWords.Length)] : random.NextUInt64();
            }
            Assert.Equal(Scalar(q, x, words, out _), Vector(q, x, words, out _));
            foreach (int at in new[] { 0, 3, 4, 5, length / 2, length - 1 }.Where(i => i >= 0 && i < length).Distinct())
            {
                double[] withNaN = [.. x];
                withNaN[at] = at % 2 == 0 ? double.NaN : -double.NaN;
                ulong[] scalar = Scalar(q, withNaN, words, out ArgumentException? scalarError);
                ulong[] vector = Vector(q, withNaN, words, out ArgumentException? vectorError);
                Assert.Equal(scalar, vector);
                Assert.NotNull(scalarError);
                Assert.Equal(scalarError.Message, vectorError?.Message);
            }
        }
    }

    private static ulong[] Scalar(FixedPointQuantizer q, double[] x, ulong[] words, out ArgumentException? error) =>
        Run(x.Length, d => q.Quantize(x, d, new WordSource(words)), out error);

    private static ulong[] Vector(FixedPointQuantizer q, double[] x, ulong[] words, out ArgumentException? error) =>
        Run(x.Length, d => q.Quantize(x, d, words), out error);

    private static ulong[] Run(int length, Action<ulong[]> quantize, out ArgumentException? error)
    {
        var destination = new ulong[length];
        Array.Fill(destination, 0xDEAD_BEEFUL);
        error = null;
        try
        {
            quantize(destination);
        }
        catch (ArgumentException e)
        {
            error = e;
        }
        return destination;
    }

    // Hands out the given words in order, little-endian, as a random source does.
    private sealed class WordSource(ulong[] words) : IRandomSource
    {
        private int _next;

        public void Fill(Span<byte> destination)
        {
            Assert.Equal(8, destination.Length);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, words[_next++]);
        }
    }
}
