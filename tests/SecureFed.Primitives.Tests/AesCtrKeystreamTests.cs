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
}
