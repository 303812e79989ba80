using SecureFed.Primitives.Prg;

namespace SecureFed.Primitives.Tests;

public class AesCtrKeystreamTests
{
    [Fact]
    public void Block_is_AES256_of_nonce_and_counter_FIPS197_C3()
    {
        // FIPS 197 appendix C.3: AES-256, key 00..1f, plaintext 00112233445566778899aabbccddeeff.
        // With nonce 0x0011223344556677 and block index 0x8899aabbccddeeff the counter block is that plaintext.
        byte[] key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        using var stream = new AesCtrKeystream(key, 0x0011223344556677UL);
        stream.Seek(0x8899aabbccddeeffUL);
        byte[] block = new byte[16];
        stream.Fill(block);
        Assert.Equal("8ea2b7ca516745bfeafc49904b496089", Convert.ToHexStringLower(block));
    }

    [Fact]
    public void Stream_is_the_same_whether_filled_at_once_or_in_pieces()
    {
        byte[] key = new byte[32];
        key[0] = 9;
        using var a = new AesCtrKeystream(key);
        using var b = new AesCtrKeystream(key);
        byte[] whole = new byte[50_000 * 16];
        a.Fill(whole);
        byte[] pieces = new byte[whole.Length];
        b.Fill(pieces.AsSpan(0, 16));
        b.Fill(pieces.AsSpan(16, 16 * 2000));
        b.Fill(pieces.AsSpan(16 * 2001));
        Assert.Equal(whole, pieces);
        Assert.Throws<ArgumentException>(() => a.Fill(new byte[15]));
        Assert.Throws<ArgumentException>(() => new AesCtrKeystream(new byte[16]));
    }

    // The random source hands out whole 4 KiB buffers straight from the stream when the request allows it; reads of
    // every size, mixing the buffered and direct paths, must give the keystream's bytes in order.
    [Fact]
    public void Random_source_reads_of_any_size_follow_the_keystream()
    {
        byte[] key = new byte[32];
        key[5] = 3;
        byte[] expected = new byte[64 * 4096];
        using (var stream = new AesCtrKeystream(key, nonce: 7))
        {
            stream.Fill(expected);
        }
        int[] sizes = [1, 4096, 4095, 8192 + 3, 0, 17, 3 * 4096, 4096 - 17 - 1, 20_000, 5, 12_288, 1_000];
        using var source = new Randomness.KeystreamRandomSource(key, nonce: 7);
        byte[] read = new byte[expected.Length];
        int at = 0;
        for (int i = 0; at < read.Length; i++)
        {
            int n = Math.Min(sizes[i % sizes.Length], read.Length - at);
            source.Fill(read.AsSpan(at, n));
            at += n;
        }
        Assert.Equal(expected, read);
    }
}

public class AesNiEquivalenceTests
{
    [Fact]
    public void Fast_path_equals_the_platform_AES_for_random_keys_nonces_and_offsets()
    {
        using var rng = new Randomness.DeterministicRandomSource(11);
        for (int trial = 0; trial < 50; trial++)
        {
            byte[] key = new byte[32];
            rng.Fill(key);
            ulong nonce = Randomness.RandomSourceExtensions.NextUInt64(rng);
            ulong first = Randomness.RandomSourceExtensions.NextUInt64(rng) >> (trial % 64);
            int blocks = 1 + (int)Randomness.RandomSourceExtensions.NextBelow(rng, 300);
            var fast = new byte[blocks * 16];
            var reference = new byte[blocks * 16];
            using (var s = new AesCtrKeystream(key, nonce))
            {
                Assert.Equal(System.Runtime.Intrinsics.X86.Aes.IsSupported, s.UsesAesNi);
                s.Seek(first);
                s.Fill(fast);
            }
            AesCtrKeystream.FillReference(key, nonce, first, reference);
            Assert.Equal(reference, fast);
        }
    }
}
