using SecureFed.Primitives.Vectors;

namespace SecureFed.Primitives.Tests;

public class ModularArithmeticTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(32)]
    [InlineData(63)]
    [InlineData(64)]
    public void Encode_decode_round_trips_and_rejects_bad_input(int bits)
    {
        ulong mask = ModularArithmetic.Mask(bits);
        ulong[] values = [0, 1, mask, mask / 3, mask - 1];
        byte[] bytes = ModularArithmetic.Encode(values, bits);
        Assert.Equal(values.Length * ((bits + 7) / 8), bytes.Length);
        var back = new ulong[values.Length];
        Assert.True(ModularArithmetic.TryDecode(bytes, bits, back));
        Assert.Equal(values, back);
        Assert.False(ModularArithmetic.TryDecode(bytes.AsSpan(1), bits, back));
        if (bits % 8 != 0)
        {
            bytes[bytes.Length - 1] = 0xFF; // sets bits above 2^bits
            Assert.False(ModularArithmetic.TryDecode(bytes, bits, back));
            Assert.Throws<ArgumentException>(() => ModularArithmetic.Encode([mask + 1], bits));
        }
    }

    [Fact]
    public void Vector_add_wraps_mod_2_to_the_bits()
    {
        var a = Enumerable.Range(0, 37).Select(i => (ulong)uint.MaxValue - (ulong)i).ToArray();
        var b = Enumerable.Range(0, 37).Select(i => (ulong)i * 5 + 3).ToArray();
        var expected = a.Zip(b, (x, y) => (x + y) & uint.MaxValue).ToArray();
        ModularArithmetic.AddInPlace(a, b, 32);
        Assert.Equal(expected, a);
        Assert.Throws<ArgumentException>(() => ModularArithmetic.AddInPlace(a, b.AsSpan(1), 32));
    }
}
