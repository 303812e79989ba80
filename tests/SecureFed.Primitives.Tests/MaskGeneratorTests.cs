using System.Buffers.Binary;
using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Primitives.Tests;

public class MaskGeneratorTests
{
    private static readonly byte[] Seed = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(64)]
    public void Mask_words_are_little_endian_keystream_words_reduced_mod_2_to_the_bits(int bits)
    {
        int n = 1000;
        var mask = new ulong[n];
        MaskGenerator.Expand(Seed, 3, mask, bits);
        int wb = MaskGenerator.WordBytes(bits);
        byte[] ks = new byte[(n * wb + 15) & ~15];
        using (var s = new AesCtrKeystream(Seed, 3))
        {
            s.Fill(ks);
        }
        for (int i = 0; i < n; i++)
        {
            ulong w = wb == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(ks.AsSpan(i * 4)) : BinaryPrimitives.ReadUInt64LittleEndian(ks.AsSpan(i * 8));
            Assert.Equal(w & ModularArithmetic.Mask(bits), mask[i]);
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(64)]
    public void Adding_then_subtracting_a_mask_restores_the_vector(int bits)
    {
        var v = Enumerable.Range(0, 70_000).Select(i => (ulong)i * 2654435761UL & ModularArithmetic.Mask(bits)).ToArray();
        var original = v.ToArray();
        MaskGenerator.Apply(Seed, 0, v, bits, subtract: false);
        Assert.NotEqual(original, v);
        MaskGenerator.Apply(Seed, 0, v, bits, subtract: true);
        Assert.Equal(original, v);
    }

    [Fact]
    public void Different_nonces_give_different_masks()
    {
        var a = new ulong[64];
        var b = new ulong[64];
        MaskGenerator.Expand(Seed, 0, a, 32);
        MaskGenerator.Expand(Seed, 1, b, 32);
        Assert.NotEqual(a, b);
    }
}

public class FusedMaskTests
{
    // The fused AES-NI kernel (keystream in registers) against the platform's AES-ECB keystream and a scalar add.
    [Theory]
    [InlineData(32, 1)]
    [InlineData(32, 31)]
    [InlineData(32, 32)]
    [InlineData(32, 1000)]
    [InlineData(17, 333)]
    [InlineData(64, 15)]
    [InlineData(64, 16)]
    [InlineData(40, 1001)]
    public void Fused_kernel_equals_reference_keystream_plus_scalar_add(int bits, int length)
    {
        byte[] seed = [.. Enumerable.Range(7, 32).Select(i => (byte)(i * 3))];
        ulong mask = ModularArithmetic.Mask(bits);
        var start = Enumerable.Range(0, length).Select(i => (ulong)i * 0x9E3779B97F4A7C15UL & mask).ToArray();
        int wb = MaskGenerator.WordBytes(bits);
        byte[] ks = new byte[(length * wb + 15) & ~15];
        AesCtrKeystream.FillReference(seed, 5, 0, ks);
        foreach (bool subtract in new[] { false, true })
        {
            var expected = start.ToArray();
            for (int i = 0; i < length; i++)
            {
                ulong w = wb == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(ks.AsSpan(i * 4)) : BinaryPrimitives.ReadUInt64LittleEndian(ks.AsSpan(i * 8));
                expected[i] = (subtract ? expected[i] - w : expected[i] + w) & mask;
            }
            var actual = start.ToArray();
            MaskGenerator.Apply(seed, 5, actual, bits, subtract);
            Assert.Equal(expected, actual);
        }
    }
}
