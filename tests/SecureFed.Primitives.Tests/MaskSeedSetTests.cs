using System.Security.Cryptography;
using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Vectors;

namespace SecureFed.Primitives.Tests;

public class MaskSeedSetTests
{
    private static byte[] SeedOf(int i) => [.. Enumerable.Range(0, 32).Select(b => (byte)(b * 31 + i * 7 + 1))];

    [Theory]
    [InlineData(16, 1, 1)]
    [InlineData(32, 4097, 1)]
    [InlineData(32, 100_000, 2)]
    [InlineData(33, 2049, 1)]
    [InlineData(64, 50_001, 2)]
    [InlineData(24, 31, 2)]
    [InlineData(62, 5, 1)]
    [InlineData(32, 100_000, 3)] // chunks spread evenly over the threads: shorter chunks, same sums
    [InlineData(32, 8_193, 2)]
    [InlineData(32, 4_097, 4)]
    [InlineData(48, 10_001, 4)]
    [InlineData(64, 2_049, 2)]
    public void Applying_the_set_equals_applying_each_seed_in_turn(int bits, int length, int threads)
    {
        ulong mask = ModularArithmetic.Mask(bits);
        var start = Enumerable.Range(0, length).Select(i => ((ulong)i * 0x9E3779B97F4A7C15UL) & mask).ToArray();
        var expected = start.ToArray();
        var actual = start.ToArray();
        using var set = new MaskSeedSet(9);
        for (int k = 0; k < 9; k++)
        {
            bool subtract = k % 3 == 1;
            MaskGenerator.Apply(SeedOf(k), 5, expected, bits, subtract);
            set.Add(SeedOf(k), subtract);
        }
        set.ApplyTo(5, actual, bits, threads);
        Assert.Equal(expected, actual);
        Assert.NotEqual(start, actual);
    }

    // MaskInto writes what ApplyTo then the wire encoding (ModularArithmetic.Encode) give, and leaves the vector as it was.
    [Theory]
    [InlineData(32, 100_000, 2)]
    [InlineData(32, 100_001, 1)]
    [InlineData(25, 4_097, 3)]
    [InlineData(32, 7, 2)]
    [InlineData(64, 50_001, 2)]
    [InlineData(57, 2_049, 1)]
    [InlineData(64, 3, 4)]
    [InlineData(32, 1, 1)]
    public void Masking_into_the_encoding_equals_masking_in_place_then_encoding(int bits, int length, int threads)
    {
        ulong mask = ModularArithmetic.Mask(bits);
        var input = Enumerable.Range(0, length).Select(i => ((ulong)i * 0x9E3779B97F4A7C15UL) & mask).ToArray();
        var inPlace = input.ToArray();
        using var set = new MaskSeedSet(7);
        for (int k = 0; k < 7; k++)
        {
            set.Add(SeedOf(k), subtract: k % 3 == 1);
        }
        set.ApplyTo(3, inPlace, bits, threads);
        byte[] expected = ModularArithmetic.Encode(inPlace, bits);
        var actual = new byte[expected.Length];
        var before = input.ToArray();
        set.MaskInto(3, input, actual, bits, threads);
        Assert.Equal(expected, actual);
        Assert.Equal(before, input);
    }

    // MaskIntoAndHash writes MaskInto's bytes and leaves the digest as if they had been appended after the walk, whatever
    // order the threads finish their chunks in (repeated, so both threads race for the hash many times), and after
    // whatever the digest already held.
    [Theory]
    [InlineData(32, 300_001, 2, 0, 20)]
    [InlineData(64, 150_000, 3, 7, 5)]
    [InlineData(25, 4_097, 4, 1, 5)]
    [InlineData(32, 1, 2, 7, 1)]
    [InlineData(57, 2_049, 1, 7, 1)]
    [InlineData(32, 0, 2, 7, 1)]
    [InlineData(32, 1_000, 2, 0, 1)]
    public void Masking_into_the_encoding_while_hashing_gives_the_digest_of_the_prefix_and_the_encoding(int bits, int length, int threads, int seeds, int repeats)
    {
        ulong mask = ModularArithmetic.Mask(bits);
        var input = Enumerable.Range(0, length).Select(i => ((ulong)i * 0x9E3779B97F4A7C15UL) & mask).ToArray();
        using var set = new MaskSeedSet(Math.Max(1, seeds));
        for (int k = 0; k < seeds; k++)
        {
            set.Add(SeedOf(k), subtract: k % 2 == 1);
        }
        var expected = new byte[length * (bits <= 32 ? 4 : 8)];
        set.MaskInto(9, input, expected, bits, 1);
        byte[] prefix = [0x92, 0x01, 0x91, 0xC6];
        byte[] expectedDigest = SHA256.HashData([.. prefix, .. expected]);
        for (int r = 0; r < repeats; r++)
        {
            var actual = new byte[expected.Length];
            var vector = input.ToArray();
            using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            digest.AppendData(prefix);
            bool wipe = r % 2 == 0;
            Assert.True(set.MaskIntoAndHash(9, vector, actual, bits, threads, digest, wipe));
            Assert.Equal(expected, actual);
            Assert.Equal(expectedDigest, digest.GetHashAndReset());
            Assert.Equal(wipe ? new ulong[length] : input, vector);
        }
    }

    // An element at or above 2^bits anywhere (first chunk, last element, one high bit) is reported, and the vector is
    // still wiped when asked.
    [Theory]
    [InlineData(32, 100_000, 2, 7, 0, 1UL << 32)]
    [InlineData(32, 100_000, 2, 7, 99_999, 1UL << 63)]
    [InlineData(25, 4_097, 3, 7, 4_000, 1UL << 25)]
    [InlineData(57, 2_049, 2, 7, 1_024, 1UL << 57)]
    [InlineData(32, 9, 2, 0, 8, 1UL << 40)]
    public void An_element_out_of_range_is_reported(int bits, int length, int threads, int seeds, int position, ulong value)
    {
        ulong mask = ModularArithmetic.Mask(bits);
        var vector = Enumerable.Range(0, length).Select(i => ((ulong)i * 0x9E3779B97F4A7C15UL) & mask).ToArray();
        vector[position] = value;
        using var set = new MaskSeedSet(Math.Max(1, seeds));
        for (int k = 0; k < seeds; k++)
        {
            set.Add(SeedOf(k), subtract: false);
        }
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Assert.False(set.MaskIntoAndHash(1, vector, new byte[length * (bits <= 32 ? 4 : 8)], bits, threads, digest, wipeVector: true));
        Assert.Equal(new ulong[length], vector);
    }

    [Fact]
    public void Masking_into_an_encoding_refuses_other_widths_and_lengths()
    {
        using var set = new MaskSeedSet(1);
        set.Add(SeedOf(0), subtract: false);
        var v = new ulong[10];
        Assert.False(MaskSeedSet.CanMaskInto(24));
        Assert.False(MaskSeedSet.CanMaskInto(33));
        Assert.True(MaskSeedSet.CanMaskInto(25));
        Assert.True(MaskSeedSet.CanMaskInto(64));
        Assert.Throws<ArgumentException>(() => set.MaskInto(0, v, new byte[30], 24));
        Assert.Throws<ArgumentException>(() => set.MaskInto(0, v, new byte[40], 48));
        Assert.Throws<ArgumentException>(() => set.MaskInto(0, v, new byte[39], 32));
        Assert.Throws<ArgumentException>(() => set.MaskInto(0, v, new byte[40], 64));
    }

    [Fact]
    public void Slots_filled_out_of_order_then_counted_match_sequential_adds()
    {
        var a = new ulong[10_000];
        var b = new ulong[10_000];
        using var inOrder = new MaskSeedSet(4);
        using var bySlot = new MaskSeedSet(4);
        for (int k = 0; k < 4; k++)
        {
            inOrder.Add(SeedOf(k), k == 2);
        }
        for (int k = 3; k >= 0; k--)
        {
            bySlot.Set(k, SeedOf(k), k == 2);
        }
        bySlot.SetCount(4);
        inOrder.ApplyTo(0, a, 32);
        bySlot.ApplyTo(0, b, 32, 2);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Misuse_is_refused()
    {
        using var set = new MaskSeedSet(1);
        Assert.Throws<ArgumentException>(() => set.Add(new byte[31], false));
        set.Add(SeedOf(0), false);
        Assert.Throws<InvalidOperationException>(() => set.Add(SeedOf(1), false));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.ApplyTo(0, new ulong[4], 32, 0));
        set.Dispose();
        Assert.Throws<ObjectDisposedException>(() => set.ApplyTo(0, new ulong[4], 32));
    }
}
