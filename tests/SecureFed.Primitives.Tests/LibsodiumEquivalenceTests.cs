using System.Security.Cryptography;
using SecureFed.Primitives.Aead;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Primitives.Tests;

// The share AEAD and the key derivation run on libsodium; these tests pin their bytes to .NET's ChaCha20Poly1305 and
// HKDF (the implementations the wire format was defined with) on random inputs of many lengths.
public class LibsodiumEquivalenceTests
{
    // RFC 7748 section 6.1: Alice's private key, Bob's public key and their shared secret.
    private static readonly byte[] AlicePrivate = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static readonly byte[] BobPublic = Convert.FromHexString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    private static readonly byte[] Shared = Convert.FromHexString("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    private static readonly int[] Lengths = [0, 1, 15, 16, 17, 32, 48, 63, 64, 65, 88, 200];

    [Fact]
    public void Derived_keys_equal_dotnet_HKDF_of_the_RFC7748_shared_secret()
    {
        using var alice = AgreementKeyPair.FromPrivateKey(AlicePrivate);
        using var rng = new DeterministicRandomSource(11);
        int[] outputLengths = [1, 16, 31, 32, 33, 64, 100, 255 * 32];
        foreach (int saltLength in Lengths)
        {
            foreach (int infoLength in Lengths)
            {
                byte[] salt = Bytes(rng, saltLength), info = Bytes(rng, infoLength), info2 = Bytes(rng, (infoLength + 5) % 70);
                int outLength = outputLengths[(saltLength + infoLength) % outputLengths.Length];
                byte[] got = new byte[outLength], both = new byte[2 * outLength];
                Assert.True(alice.TryDeriveSharedKey(BobPublic, salt, info, got));
                Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, Shared, outLength, salt, info), got);
                Assert.True(alice.TryDeriveSharedKeys(BobPublic, salt, [info, info2], both));
                Assert.Equal(got, both[..outLength]);
                Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, Shared, outLength, salt, info2), both[outLength..]);
            }
        }
    }

    [Fact]
    public void Derivation_agrees_with_the_peer_and_with_dotnet_HKDF_for_random_key_pairs()
    {
        using var rng = new DeterministicRandomSource(12);
        for (int i = 0; i < 20; i++)
        {
            using var a = AgreementKeyPair.Generate(rng);
            using var b = AgreementKeyPair.Generate(rng);
            byte[] salt = Bytes(rng, 32), info = Bytes(rng, i * 3);
            byte[] ka = new byte[32], kb = new byte[32];
            Assert.True(a.TryDeriveSharedKey(b.PublicKey, salt, info, ka));
            Assert.True(b.TryDeriveSharedKey(a.PublicKey, salt, info, kb));
            Assert.Equal(ka, kb);
            Assert.NotEqual(new byte[32], ka);
        }
    }

    [Fact]
    public void Several_infos_from_one_agreement_equal_one_derivation_per_info()
    {
        using var alice = AgreementKeyPair.FromPrivateKey(AlicePrivate);
        using var rng = new DeterministicRandomSource(13);
        byte[] salt = Bytes(rng, 24);
        ReadOnlyMemory<byte>[] infos = [Bytes(rng, 10), Bytes(rng, 0), Bytes(rng, 77)];
        foreach (int part in new[] { 1, 32, 45 })
        {
            byte[] outputs = new byte[infos.Length * part];
            Assert.True(alice.TryDeriveSharedKeys(BobPublic, salt, infos, outputs));
            for (int i = 0; i < infos.Length; i++)
            {
                Assert.Equal(HKDF.DeriveKey(HashAlgorithmName.SHA256, Shared, part, salt, infos[i].ToArray()), outputs.AsSpan(i * part, part).ToArray());
            }
        }
        Assert.False(alice.TryDeriveSharedKeys(new byte[32], salt, infos, new byte[96])); // low-order point
        Assert.False(alice.TryDeriveSharedKeys(new byte[33], salt, infos, new byte[96]));
        Assert.Throws<ArgumentException>(() => alice.TryDeriveSharedKeys(BobPublic, salt, infos, new byte[95]));
        Assert.Throws<ArgumentException>(() => alice.TryDeriveSharedKeys(BobPublic, salt, infos, []));
        Assert.Throws<ArgumentException>(() => alice.TryDeriveSharedKeys(BobPublic, salt, ReadOnlySpan<ReadOnlyMemory<byte>>.Empty, new byte[32]));
        Assert.Throws<ArgumentException>(() => alice.TryDeriveSharedKeys(BobPublic, salt, [infos[0]], new byte[255 * 32 + 1]));
    }

    [Fact]
    public void Bad_output_sizes_are_refused_like_dotnet_HKDF()
    {
        using var alice = AgreementKeyPair.FromPrivateKey(AlicePrivate);
        Assert.Throws<ArgumentException>(() => alice.TryDeriveSharedKey(BobPublic, [1], [2], []));
        Assert.Throws<ArgumentException>(() => alice.TryDeriveSharedKey(BobPublic, [1], [2], new byte[255 * 32 + 1]));
        // A malformed or low-order peer key is a false result, checked before the outputs (as before).
        Assert.False(alice.TryDeriveSharedKey(new byte[31], [1], [2], []));
        Assert.False(alice.TryDeriveSharedKey(new byte[32], [1], [2], []));
    }

    [Fact]
    public void Seal_equals_dotnet_ChaCha20Poly1305_and_opens_its_ciphertexts()
    {
        Assert.True(ChaCha20Poly1305.IsSupported);
        using var rng = new DeterministicRandomSource(14);
        foreach (int adLength in Lengths)
        {
            foreach (int ptLength in Lengths.Append(1000))
            {
                byte[] key = Bytes(rng, 32), ad = Bytes(rng, adLength), pt = Bytes(rng, ptLength);
                byte[] expected = new byte[ptLength + ShareCipher.TagSize];
                using (var reference = new ChaCha20Poly1305(key))
                {
                    reference.Encrypt(new byte[12], pt, expected.AsSpan(0, ptLength), expected.AsSpan(ptLength), ad);
                }
                Assert.Equal(expected, ShareCipher.Seal(key, ad, pt));
                byte[] back = new byte[ptLength];
                Assert.True(ShareCipher.TryOpen(key, ad, expected, back));
                Assert.Equal(pt, back);
            }
        }
    }

    [Fact]
    public void A_tampered_ciphertext_tag_or_associated_data_gives_false_and_a_wiped_plaintext()
    {
        using var rng = new DeterministicRandomSource(15);
        byte[] key = Bytes(rng, 32), ad = Bytes(rng, 40), pt = Bytes(rng, 88);
        byte[] ct = ShareCipher.Seal(key, ad, pt);
        for (int i = 0; i < ct.Length; i += 7)
        {
            byte[] bad = ct.ToArray();
            bad[i] ^= (byte)(1 << (i % 8));
            byte[] back = Enumerable.Repeat((byte)0xEE, 88).ToArray();
            Assert.False(ShareCipher.TryOpen(key, ad, bad, back));
            Assert.All(back, b => Assert.Equal(0, b));
        }
        byte[] otherAd = ad.ToArray();
        otherAd[^1] ^= 1;
        byte[] plain = new byte[88];
        Assert.False(ShareCipher.TryOpen(key, otherAd, ct, plain));
        byte[] otherKey = key.ToArray();
        otherKey[0] ^= 1;
        Assert.False(ShareCipher.TryOpen(otherKey, ad, ct, plain));
        Assert.All(plain, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Wrong_sizes_throw_for_keys_and_return_false_for_buffers()
    {
        byte[] key = new byte[32];
        byte[] ct = ShareCipher.Seal(key, [], new byte[10]);
        Assert.Throws<ArgumentException>(() => ShareCipher.Seal(new byte[31], [], new byte[10]));
        Assert.Throws<ArgumentException>(() => ShareCipher.TryOpen(new byte[33], [], ct, new byte[10]));
        Assert.False(ShareCipher.TryOpen(key, [], ct, new byte[9]));
        Assert.False(ShareCipher.TryOpen(key, [], ct, new byte[11]));
        Assert.False(ShareCipher.TryOpen(key, [], new byte[15], []));
        Assert.True(ShareCipher.TryOpen(key, [], ct, new byte[10]));
    }

    [Fact]
    public void Sealing_and_opening_on_many_threads_at_once_gives_the_single_threaded_bytes()
    {
        using var rng = new DeterministicRandomSource(16);
        byte[][] keys = [.. Enumerable.Range(0, 64).Select(_ => Bytes(rng, 32))];
        byte[] ad = Bytes(rng, 20), pt = Bytes(rng, 88);
        byte[][] expected = [.. keys.Select(k => ShareCipher.Seal(k, ad, pt))];
        Parallel.For(0, 400, i =>
        {
            byte[] ct = ShareCipher.Seal(keys[i % 64], ad, pt);
            Assert.Equal(expected[i % 64], ct);
            byte[] back = new byte[88];
            Assert.True(ShareCipher.TryOpen(keys[i % 64], ad, ct, back));
            Assert.Equal(pt, back);
        });
    }

    private static byte[] Bytes(IRandomSource rng, int length)
    {
        byte[] b = new byte[length];
        rng.Fill(b);
        return b;
    }
}
