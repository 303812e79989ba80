using SecureFed.Primitives.Aead;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Secrets;
using SecureFed.Primitives.Signatures;

namespace SecureFed.Primitives.Tests;

public class KeysAndCipherTests
{
    [Fact]
    public void Ed25519_matches_RFC8032_test_1()
    {
        // RFC 8032 section 7.1, TEST 1 (empty message).
        byte[] seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using var key = IdentityKeyPair.FromSeed(seed);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", key.PublicKey.ToString());
        byte[] sig = key.Sign([]);
        Assert.Equal("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", Convert.ToHexStringLower(sig));
        Assert.True(key.PublicKey.Verify([], sig));
        sig[10] ^= 4;
        Assert.False(key.PublicKey.Verify([], sig));
        Assert.False(key.PublicKey.Verify([], sig.AsSpan(1)));
        Assert.DoesNotContain("9d61", key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void X25519_then_HKDF_agrees_on_both_sides_and_rejects_low_order_points()
    {
        using var rng = new DeterministicRandomSource(3);
        using var a = AgreementKeyPair.Generate(rng);
        using var b = AgreementKeyPair.Generate(rng);
        byte[] ka = new byte[32], kb = new byte[32];
        Assert.True(a.TryDeriveSharedKey(b.PublicKey, [1, 2], [3], ka));
        Assert.True(b.TryDeriveSharedKey(a.PublicKey, [1, 2], [3], kb));
        Assert.Equal(ka, kb);
        Assert.False(a.TryDeriveSharedKey(new byte[32], [1, 2], [3], ka)); // the all-zero point has low order
        Assert.False(a.TryDeriveSharedKey(new byte[31], [1, 2], [3], ka));
        byte[] sk = new byte[32];
        a.ExportPrivateKey(sk);
        using var again = AgreementKeyPair.FromPrivateKey(sk);
        Assert.Equal(a.PublicKey.ToArray(), again.PublicKey.ToArray());
    }

    [Fact]
    public void Share_cipher_rejects_any_flipped_bit_and_wrong_associated_data()
    {
        byte[] key = new byte[32];
        key[5] = 1;
        byte[] pt = [.. Enumerable.Range(0, 88).Select(i => (byte)i)];
        byte[] ct = ShareCipher.Seal(key, [7], pt);
        var back = new byte[88];
        Assert.True(ShareCipher.TryOpen(key, [7], ct, back));
        Assert.Equal(pt, back);
        Assert.False(ShareCipher.TryOpen(key, [8], ct, back));
        for (int bit = 0; bit < ct.Length * 8; bit += 13)
        {
            byte[] t = ct.ToArray();
            t[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(ShareCipher.TryOpen(key, [7], t, back));
        }
    }

    [Fact]
    public void Secret_buffers_wipe_and_never_print_contents()
    {
        var s = SecretBuffer.CopyOf([0xAB, 0xCD]);
        Assert.DoesNotContain("AB", s.ToString(), StringComparison.OrdinalIgnoreCase);
        s.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s.Span.ToArray());
    }
}
