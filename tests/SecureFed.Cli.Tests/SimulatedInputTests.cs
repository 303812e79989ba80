using System.Buffers.Binary;
using SecureFed.Cli.Commands;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Quantization;

namespace SecureFed.Cli.Tests;

/// <summary>
/// `simulate` makes its test inputs with vector arithmetic in blocks; they must be the inputs of the scalar
/// definition (a word per value, then a word per stochastic rounding, one at a time), bit for bit.
/// </summary>
public class SimulatedInputTests
{
    private const double Unit = 1.0 / (1UL << 53);

    [Fact]
    public void Uniform_values_equal_the_scalar_formula_for_edge_and_random_words()
    {
        ulong[] edges = [0, 1, (1UL << 11) - 1, 1UL << 11, (1UL << 63) - 1, 1UL << 63, ulong.MaxValue, ulong.MaxValue - (1UL << 11), 0x8000_0000_0000_07FF];
        using var random = new DeterministicRandomSource(31);
        foreach (double clip in new[] { 1.0, 2.5, 3.0, 1e-300, 1e300, 0.1 })
        {
            for (int length = 0; length <= 41; length++)
            {
                var words = new ulong[length];
                for (int i = 0; i < length; i++)
                {
                    words[i] = i < edges.Length && length % 2 == 0 ? edges[i] : random.NextUInt64();
                }
                var values = new double[length];
                SimulatedInput.Uniform(words, clip, values);
                for (int i = 0; i < length; i++)
                {
                    double expected = ((words[i] >> 11) * Unit * 2 - 1) * clip;
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(values[i]));
                }
            }
        }
    }

    [Theory]
    [InlineData(1.0, 32, 10_000, 100_003)]
    [InlineData(2.5, 16, 7, 1_031)]
    [InlineData(1e-3, 64, 3, 4_099)]
    [InlineData(4.0, 20, 100, 513)]
    public void Quantized_input_equals_drawing_one_word_at_a_time(double clip, int bits, int clients, int length)
    {
        var quantizer = FixedPointQuantizer.Create(clip, bits, clients);
        foreach (uint id in new uint[] { 1, 2, 9_999 })
        {
            ulong[] input = SimulatedInput.Quantized(quantizer, length, seed: 77, id);
            using var random = DeterministicRandomSource.Derive(77, "input", id);
            var values = new double[length];
            var word = new byte[8];
            for (int i = 0; i < length; i++)
            {
                random.Fill(word);
                values[i] = ((BinaryPrimitives.ReadUInt64LittleEndian(word) >> 11) * Unit * 2 - 1) * clip;
            }
            var expected = new ulong[length];
            quantizer.Quantize(values, expected, random); // a word per element, drawn one by one
            Assert.Equal(expected, input);
        }
    }
}
