using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Lattice.Ring;
using SecureFed.Primitives.Randomness;
using SecureFed.Testing.Vectors;

namespace SecureFed.Lattice.Tests;

/// <summary>
/// Regenerates protocol-spec/test-vectors/he-*.json from the implementation and compares them with the committed
/// files exactly. Set SECUREFED_REGENERATE_TEST_VECTORS=1 to rewrite them.
/// </summary>
public sealed class TestVectorTests
{
    private static readonly byte[] Seed = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [Fact]
    public void PrimesAndNttVector() => CommittedVector.AssertMatches("he-ntt.json", PrimesAndNtt());

    [Fact]
    public void SamplersAndSeedExpansionVector() => CommittedVector.AssertMatches("he-samplers.json", SamplersAndSeeds());

    [Fact]
    public void EncryptionVector() => CommittedVector.AssertMatches("he-encrypt.json", Encryption());

    [Fact]
    public void MultipartyVector() => CommittedVector.AssertMatches("he-multiparty.json", Multiparty());

    private static JsonArray Arr<T>(IEnumerable<T> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);

    private static JsonArray Dec(IEnumerable<ulong> values) => new([.. values.Select(v => (JsonNode)v.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    private static JsonObject PrimesAndNtt()
    {
        var chains = new JsonArray();
        foreach (var (n, sizes) in new[] { (4096, new[] { 36, 36, 37 }), (8192, new[] { 43, 43, 44, 44, 44 }), (4096, new[] { 44, 44, 21 }) })
        {
            var p = BfvParameters.Create(new BfvParameterOptions { Degree = n, PrimeBits = sizes, PlaintextBits = 32 });
            chains.Add(new JsonObject
            {
                ["degree"] = n,
                ["prime_bits"] = Arr(sizes),
                ["primes"] = Dec(p.Primes),
                ["psi"] = Dec(p.Primes.Select(q => new NegacyclicTransform(q, n).Psi)),
                ["parameter_id_hex_t32"] = Convert.ToHexStringLower(p.Id.Span),
            });
        }
        ulong prime = PrimeSearch.NttPrimes(30, 16, 1)[0];
        var ntt = new NegacyclicTransform(prime, 16);
        var input = Enumerable.Range(0, 16).Select(i => (ulong)(i * i + 1)).ToArray();
        var output = (ulong[])input.Clone();
        ntt.Forward(output);
        return new JsonObject
        {
            ["description"] = "Primes: for each size in order, the largest p < 2^bits with p = 1 mod 2N not already chosen. psi: smallest x with x^N = -1 mod p. NTT: forward negacyclic transform, output index k = evaluation at psi^(2*bitrev(k)+1).",
            ["chains"] = chains,
            ["ntt"] = new JsonObject
            {
                ["degree"] = 16,
                ["prime"] = prime.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["psi"] = ntt.Psi.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["input"] = Dec(input),
                ["forward"] = Dec(output),
            },
        };
    }

    private static JsonObject SamplersAndSeeds()
    {
        using var rng = new DeterministicRandomSource(Seed);
        var ternary = new sbyte[32];
        Samplers.Ternary(rng, ternary);
        var cbd = new sbyte[32];
        Samplers.CenteredBinomial(rng, cbd);
        var p = BfvParameters.InsecureForTestsOnly(new BfvParameterOptions { Degree = 16, PrimeBits = [40, 30], PlaintextBits = 16 });
        var a = new ulong[32];
        SeedExpander.ExpandNtt(Seed, p.Ring, 2, a);
        // Uniform mod 65537 (17-bit mask, about half the words rejected) across a batch boundary: 600 values from a
        // fresh source, then the next 8 bytes of that source show exactly how many words were read.
        const ulong SmallPrime = 65537;
        var uniform = new ulong[600];
        var after = new byte[8];
        using (var urng = new DeterministicRandomSource(Seed))
        {
            Samplers.Uniform(urng, uniform, SmallPrime);
            urng.Fill(after);
        }
        return new JsonObject
        {
            ["description"] = "Randomness = DeterministicRandomSource(seed bytes) (protocol-spec/he.md 3). Ternary: one byte b per try, skip 255, value (b mod 3) - 1. CBD(21): 6 bytes per value read as a 48-bit little-endian w, popcount(w & 0x1FFFFF) - popcount((w >> 21) & 0x1FFFFF); drawn after the 32 ternary values. " +
                "Seed expansion: prime i uses AES-256-CTR(key = seed, nonce = i), 8-byte LE words masked to bitlen(p_i), rejected if >= p_i. " +
                "uniform_65537: 600 values uniform mod 65537 from a fresh DeterministicRandomSource(seed bytes) (17-bit masked words, rejected if >= p; every word read is used, none discarded at a batch end); next_8_bytes_after_hex: the source's next 8 bytes afterwards.",
            ["seed_hex"] = Convert.ToHexStringLower(Seed),
            ["ternary"] = Arr(ternary.Select(v => (int)v)),
            ["cbd21"] = Arr(cbd.Select(v => (int)v)),
            ["expansion_primes"] = Dec(p.Primes),
            ["expansion_ntt_residues"] = Dec(a),
            ["uniform_65537_first_16"] = Dec(uniform.Take(16)),
            ["uniform_65537_sha256_le64"] = Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(uniform.AsSpan()))),
            ["next_8_bytes_after_hex"] = Convert.ToHexStringLower(after),
        };
    }

    private static JsonObject Encryption()
    {
        var p = BfvParameters.InsecureForTestsOnly(new BfvParameterOptions { Degree = 16, PrimeBits = [40, 40, 30], PlaintextBits = 16 });
        using var rng = new DeterministicRandomSource(Seed);
        using var sk = SecretKey.Generate(p, rng);
        var pk = PublicKey.Generate(sk, rng);
        var m = Enumerable.Range(0, 16).Select(i => (ulong)(i * 4099 % 65536)).ToArray();
        var ct = new BfvEncryptor(pk).Encrypt(m, rng);
        var lowered = ct.Clone();
        lowered.SwitchToLevel(2);
        var sym = new BfvSymmetricEncryptor(sk).Encrypt(m, rng);
        var back = new ulong[16];
        new BfvDecryptor(sk).Decrypt(lowered, back);
        Assert.Equal(m, back);
        return new JsonObject
        {
            ["description"] = "INSECURE toy parameters (N = 16) for byte-exact checks. Randomness = DeterministicRandomSource(seed bytes), consumed in order: secret key (ternary), public key (32-byte seed, CBD error), public-key encryption (u ternary, e0, e1 CBD), symmetric encryption (32-byte seed, CBD error). Ciphertexts in the 'Ciphertext vector' format of he.md.",
            ["seed_hex"] = Convert.ToHexStringLower(Seed),
            ["degree"] = 16,
            ["primes"] = Dec(p.Primes),
            ["plaintext_bits"] = 16,
            ["parameter_id_hex"] = Convert.ToHexStringLower(p.Id.Span),
            ["message"] = Dec(m),
            ["public_key_seed_hex"] = Convert.ToHexStringLower(pk.Seed.Span),
            ["ciphertext_pk_hex"] = Convert.ToHexStringLower(CiphertextCodec.Serialize(ct)),
            ["ciphertext_pk_switched_to_2_primes_hex"] = Convert.ToHexStringLower(CiphertextCodec.Serialize(lowered)),
            ["ciphertext_symmetric_seeded_hex"] = Convert.ToHexStringLower(CiphertextCodec.Serialize(sym)),
        };
    }

    private static JsonObject Multiparty()
    {
        var plan = AggregationPlan.Create(new AggregationOptions { Clients = 2, InputRange = 1000, Bits = 32, Lanes = 1, Bodies = 1, Decryptors = 3, Threshold = 2 });
        using var rng = new DeterministicRandomSource(Seed);
        var crp = new byte[32];
        rng.Fill(crp);
        var parties = Enumerable.Range(1, 3).Select(i => new KeyGenerationParty(plan, i, rng)).ToArray();
        var pk = CollectivePublicKey.Combine(plan, crp, parties.Select(x => x.CreatePublicKeyShare(crp)).ToArray());
        var dealt = parties.Select(x => x.DealShares()).ToArray();
        var decryptors = Enumerable.Range(1, 3).Select(j => new ThresholdDecryptor(ThresholdKeyShare.Combine(plan, j, dealt.Select(d => d[j - 1]).ToArray()), 2)).ToArray();
        var enc = new UploadEncryptor(plan, pk);
        var uploads = new Dictionary<int, byte[]>();
        var commitments = new JsonArray();
        const int VectorLength = 8;
        var inputs = new JsonObject();
        for (int c = 1; c <= 2; c++)
        {
            var v = Enumerable.Range(0, VectorLength).Select(i => (ulong)(c * 100 + i)).ToArray();
            inputs[c.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Dec(v);
            uploads[c] = enc.Encrypt(v, rng);
            byte[] com = UploadCommitment.Compute(5, c, uploads[c], plan.Parameters);
            commitments.Add(new JsonObject { ["client"] = c, ["upload_sha256_hex"] = Convert.ToHexStringLower(SHA256.HashData(uploads[c])), ["commitment_hex"] = Convert.ToHexStringLower(com) });
            foreach (var d in decryptors)
            {
                d.RegisterCommitment(5, c, com);
            }
        }
        var acc = new UploadAccumulator(plan);
        foreach (var u in uploads.Values)
        {
            acc.Add(u);
        }
        int[] set = [1, 3];
        var request = new DecryptionRequest { Round = 5, Participants = set, Openings = uploads.ToDictionary(kv => kv.Key, kv => UploadOpening.FromUpload(kv.Value, plan.Parameters)) };
        var shares = set.Select(j => decryptors[j - 1].CreateShare(request, rng)).ToArray();
        var sum = CollectiveDecryption.Combine(plan, acc.Sum, 5, shares);
        foreach (var d in decryptors)
        {
            d.Dispose();
        }
        var p = plan.Parameters;
        return new JsonObject
        {
            ["description"] = "Plan: 2 clients, input range 1000, t = 2^32, 3 decryptors, threshold 2, 40-bit flooding (AggregationPlan defaults otherwise: 1 lane, 1 body). Randomness = DeterministicRandomSource(seed bytes) in order: CRP seed (32 bytes), key shares of parties 1..3, public key shares 1..3, Shamir dealing 1..3, client 1 and 2 uploads, decryption shares of 1 then 3. " +
                "Client c's input: vector_length values, value i = 100 c + i (client_inputs). Commitment = SHA-256(\"SecureFed/he/upload-commitment/v1\" || BE64(round = 5) || BE32(client) || SHA-256(bodies bytes) || SHA-256(header || mask bytes)). " +
                "public_key_b_sha256_hex: SHA-256 of the collective key's b (sum of the parties' b_i) at the key level (all primes), NTT form, each residue as LE64, prime-major (he.md 6.1). Lagrange coefficients at 0 for set {1, 3} per upload prime. decrypted_sum: the whole decrypted vector.",
            ["seed_hex"] = Convert.ToHexStringLower(Seed),
            ["degree"] = p.Degree,
            ["primes"] = Dec(p.Primes),
            ["upload_level"] = plan.UploadLevel,
            ["round"] = 5,
            ["vector_length"] = VectorLength,
            ["client_inputs"] = inputs,
            ["crp_seed_hex"] = Convert.ToHexStringLower(crp),
            ["public_key_b_sha256_hex"] = Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pk.Bs[0].AsSpan()))),
            ["commitments"] = commitments,
            ["lagrange_1_of_1_3"] = Dec(ThresholdDecryptor.LagrangeAtZero(p, plan.UploadLevel, 1, set)),
            ["lagrange_3_of_1_3"] = Dec(ThresholdDecryptor.LagrangeAtZero(p, plan.UploadLevel, 3, set)),
            ["decrypted_sum"] = Dec(sum.Take(VectorLength)),
            ["decrypted_padding_is_zero"] = sum.Skip(VectorLength).All(x => x == 0),
        };
    }
}
