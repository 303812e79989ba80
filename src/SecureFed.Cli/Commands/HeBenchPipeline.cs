using System.Diagnostics;
using System.Text.Json.Nodes;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Cli.Commands;

// End-to-end: C clients each encrypt V 32-bit values under a collective key of the C clients (threshold a strict
// majority, 40-bit flooding), the aggregator sums, a threshold of decryptors verify and decrypt.
internal static class HeBenchPipeline
{
    public static JsonObject Measure(int clients, int length, int lanes, int bodies, TextWriter error)
    {
        const int Bits = 32;
        int threshold = clients / 2 + 1;
        var plan = AggregationPlan.Create(new AggregationOptions
        {
            Clients = clients, InputRange = (1UL << Bits) / (ulong)clients, PlaintextBits = Bits, Lanes = lanes, Bodies = bodies, Decryptors = clients, Threshold = threshold,
        });
        using var rng = new DeterministicRandomSource(42);
        var keygen = Stopwatch.StartNew();
        var crp = new byte[32];
        rng.Fill(crp);
        var parties = Enumerable.Range(1, clients).Select(i => new KeyGenerationParty(plan, i, rng)).ToArray();
        var pk = CollectivePublicKey.Combine(plan, crp, parties.Select(p => p.CreatePublicKeyShare(crp)).ToArray());
        var dealt = parties.Select(p => p.DealShares()).ToArray();
        var decryptors = Enumerable.Range(1, clients).Select(j =>
            new ThresholdDecryptor(ThresholdKeyShare.Combine(plan, j, dealt.Select(d => d[j - 1]).ToArray()), clients)).ToArray();
        foreach (var d in dealt.SelectMany(x => x))
        {
            d.Dispose();
        }
        keygen.Stop();

        var encryptor = new UploadEncryptor(plan, pk);
        var uploads = new Dictionary<int, byte[]>();
        var expected = new ulong[length];
        var values = new ulong[length];
        double encryptMs = 0;
        for (int c = 1; c <= clients; c++)
        {
            for (int i = 0; i < length; i++)
            {
                values[i] = rng.NextBelow(plan.Options.InputRange);
                expected[i] += values[i];
            }
            long t0 = Stopwatch.GetTimestamp();
            uploads[c] = encryptor.Encrypt(values, rng);
            encryptMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            foreach (var d in decryptors)
            {
                d.RegisterCommitment(1, c, UploadCommitment.Compute(1, c, uploads[c], plan.Parameters));
            }
            error.WriteLine($"  encrypted client {c}/{clients} (lanes {lanes}, bodies {bodies})");
        }
        var aggregate = Stopwatch.StartNew();
        var acc = new UploadAccumulator(plan);
        foreach (var u in uploads.Values)
        {
            acc.Add(u);
        }
        aggregate.Stop();
        var set = Enumerable.Range(1, threshold).ToArray();
        var decrypt = Stopwatch.StartNew();
        var openings = uploads.ToDictionary(kv => kv.Key, kv => UploadOpening.FromUpload(kv.Value, plan.Parameters));
        var request = new DecryptionRequest { Round = 1, Participants = set, Openings = openings };
        var shares = set.Select(j => decryptors[j - 1].CreateShare(request, rng)).ToArray();
        double sharesMs = decrypt.Elapsed.TotalMilliseconds;
        var sum = CollectiveDecryption.CombineValues(plan, acc.Sum, 1, shares, length, clients);
        decrypt.Stop();
        bool ok = sum.AsSpan(0, length).SequenceEqual(expected);
        foreach (var d in decryptors)
        {
            d.Dispose();
        }
        long uploadBytes = uploads[1].LongLength;
        return new JsonObject
        {
            ["clients"] = clients,
            ["values"] = length,
            ["bits"] = Bits,
            ["lanes"] = lanes,
            ["bodies"] = bodies,
            ["degree"] = plan.Parameters.Degree,
            ["prime_bits"] = new JsonArray(plan.Parameters.Primes.Select(q => (JsonNode)(64 - System.Numerics.BitOperations.LeadingZeroCount(q))).ToArray()),
            ["upload_level"] = plan.UploadLevel,
            ["decryptors"] = clients,
            ["threshold"] = threshold,
            ["flooding_bits"] = plan.Options.FloodingBits,
            ["noise_budget_bits"] = Math.Round(plan.NoiseBudgetBits, 2),
            ["ciphertexts_per_client"] = UploadEncryptor.BlockCount(plan, length),
            ["keygen_ms"] = keygen.Elapsed.TotalMilliseconds,
            ["encrypt_per_client_ms"] = encryptMs / clients,
            ["aggregate_ms"] = aggregate.Elapsed.TotalMilliseconds,
            ["decrypt_shares_ms"] = sharesMs,
            ["collective_decrypt_ms"] = decrypt.Elapsed.TotalMilliseconds,
            ["upload_bytes_per_client"] = uploadBytes,
            ["upload_bits_per_value"] = uploadBytes * 8.0 / length,
            ["upload_expansion_vs_plaintext"] = uploadBytes * 8.0 / length / Bits,
            ["sum_matches"] = ok,
        };
    }
}
