using System.Text.Json.Nodes;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Seal;
using SecureFed.Primitives.Randomness;
using SecureFed.Testing.Vectors;

namespace SecureFed.Lattice.Tests.Seal;

/// <summary>
/// protocol-spec/test-vectors/he-seal.json (he.md section 11): SEAL 4.1 bytes of SEAL's default N = 4096 parameters
/// and, for the toy keys and ciphertext of he-encrypt.json (same seed and draws), the PublicKey, SecretKey and a
/// Ciphertext (uncompressed: compressed bytes depend on the compressor's version). SECUREFED_REGENERATE_TEST_VECTORS=1 rewrites it.
/// </summary>
public sealed class SealVectorTests
{
    private static readonly byte[] Seed = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [Fact]
    public void SealVector() => CommittedVector.AssertMatches("he-seal.json", Build());

    private static JsonObject Build()
    {
        var real = BfvParameters.SealDefault(4096, 32);
        var realSeal = SealEncryptionParameters.FromBfv(real);

        var p = BfvParameters.InsecureForTestsOnly(new BfvParameterOptions { Degree = 16, PrimeBits = [40, 40, 30], PlaintextBits = 16 });
        using var rng = new DeterministicRandomSource(Seed);
        using var sk = SecretKey.Generate(p, rng);
        var pk = PublicKey.Generate(sk, rng);
        var m = Enumerable.Range(0, 16).Select(i => (ulong)(i * 4099 % 65536)).ToArray();
        var ct = new BfvEncryptor(pk).Encrypt(m, rng);
        ct.SwitchToLevel(2);
        var toySeal = SealEncryptionParameters.FromBfv(p);
        byte[] zlib = SealSerializer.SaveCiphertext(ct, SealComprMode.Zlib);
        Assert.Equal(SealSerializer.SaveCiphertext(ct), SealSerializer.SaveCiphertext(SealSerializer.LoadCiphertext(p, zlib)));
        return new JsonObject
        {
            ["description"] = "Microsoft SEAL 4.1 serialization (he.md 11). real_4096: BFVDefault(4096) primes, t = 2^32, checked against node-seal 7.0.0 (SealFormatTests). toy: the keys and the 2-prime ciphertext of he-encrypt.json (same seed, same draws), as SEAL objects. All objects uncompressed (compressed bytes depend on the compressor; a zlib round trip is checked in C#).",
            ["real_4096"] = new JsonObject
            {
                ["degree"] = 4096,
                ["primes"] = Dec(real.Primes),
                ["plain_modulus"] = (1UL << 32).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["parms_hex"] = Convert.ToHexStringLower(realSeal.Save()),
                ["parms_id_hex_by_level"] = new JsonArray([.. Enumerable.Range(1, 3).Select(k => (JsonNode)Convert.ToHexStringLower(realSeal.ParmsId(k)))]),
            },
            ["toy"] = new JsonObject
            {
                ["seed_hex"] = Convert.ToHexStringLower(Seed),
                ["degree"] = 16,
                ["primes"] = Dec(p.Primes),
                ["plaintext_bits"] = 16,
                ["message"] = Dec(m),
                ["parms_hex"] = Convert.ToHexStringLower(toySeal.Save()),
                ["public_key_hex"] = Convert.ToHexStringLower(SealSerializer.SavePublicKey(pk)),
                ["secret_key_hex"] = Convert.ToHexStringLower(SealSerializer.SaveSecretKey(sk)),
                ["ciphertext_level2_hex"] = Convert.ToHexStringLower(SealSerializer.SaveCiphertext(ct)),
            },
        };
    }

    private static JsonArray Dec(IEnumerable<ulong> values) => new([.. values.Select(v => (JsonNode)v.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
}
