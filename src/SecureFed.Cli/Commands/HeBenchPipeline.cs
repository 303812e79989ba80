using System.Diagnostics;
using System.Text.Json.Nodes;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Cli.Commands;

// End-to-end: C clients each encrypt V 32-bit values under a collective key of the C clients (threshold a strict
// majority, 40-bit flooding), the aggregator sums, a threshold of decryptors verify and decrypt. Lanes and bodies
// 0 = the plan's automatic layout (the default of every HE round). Each pipeline also times the bare encryption of
// one ciphertext at its own parameters (the microbenchmark), so the per-ciphertext client time is a ratio to it.
internal static class HeBenchPipeline
{
    /// <summary>Goal for collective decryption of the 10 x 1,000,000 round (issue 17).</summary>
    private const double CollectiveDecryptGoalMs = 500;

    public static JsonObject Measure(int clients, int length, int lanes, int bodies, int reps, TextWriter error)
    {
        const int Bits = 32;
        int threshold = clients / 2 + 1;
        var plan = AggregationPlan.Create(new AggregationOptions
        {
            Clients = clients, InputRange = (1UL << Bits) / (ulong)clients, Bits = Bits, Lanes = lanes, Bodies = bodies, Decryptors = clients, Threshold = threshold,
            VectorLength = length,
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
        var openings = new Dictionary<int, UploadOpening>();
        double openMs = 0;
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
            // The aggregator splits each upload into its opening when it accepts it (H2), not at decryption.
            long t1 = Stopwatch.GetTimestamp();
            openings[c] = UploadOpening.FromUpload(uploads[c], plan.Parameters);
            openMs += Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
            // The client computes its commitment once and sends it to every decryptor (hashing the 10 MB upload once
            // per decryptor here only churned the caches between the timed encryptions).
            byte[] commitment = UploadCommitment.Compute(1, c, openings[c]);
            foreach (var d in decryptors)
            {
                d.RegisterCommitment(1, c, commitment);
            }
            error.WriteLine($"  encrypted client {c}/{clients} (lanes {plan.Options.Lanes}, bodies {plan.Options.Bodies})");
        }
        double microMs = EncryptMicrobenchmark(plan, pk, values, reps, rng);
        var aggregate = Stopwatch.StartNew();
        var acc = new UploadAccumulator(plan);
        foreach (var u in uploads.Values)
        {
            acc.Add(u);
        }
        aggregate.Stop();
        var set = Enumerable.Range(1, threshold).ToArray();
        var request = new DecryptionRequest { Round = 1, Participants = set, Openings = openings };
        // The decryptors answer one after another here (on their own machines they answer at once), so the
        // collective time below is the sum of every share plus the combination; the slowest share is reported too.
        var decrypt = Stopwatch.StartNew();
        double slowestShareMs = 0;
        var shares = set.Select(j =>
        {
            long t0 = Stopwatch.GetTimestamp();
            var share = decryptors[j - 1].CreateShare(request, rng);
            slowestShareMs = Math.Max(slowestShareMs, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            return share;
        }).ToArray();
        double sharesMs = decrypt.Elapsed.TotalMilliseconds;
        var sum = CollectiveDecryption.CombineValues(plan, acc.Sum, 1, shares, length, clients);
        decrypt.Stop();
        bool ok = sum.AsSpan(0, length).SequenceEqual(expected);
        foreach (var d in decryptors)
        {
            d.Dispose();
        }
        long uploadBytes = uploads[1].LongLength;
        int blocks = UploadEncryptor.BlockCount(plan, length);
        double perCiphertextMs = encryptMs / clients / blocks;
        return new JsonObject
        {
            ["clients"] = clients,
            ["values"] = length,
            ["bits"] = Bits,
            ["layout"] = lanes == 0 && bodies == 0 ? "automatic" : "manual",
            ["lanes"] = plan.Options.Lanes,
            ["bodies"] = plan.Options.Bodies,
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
            ["encrypt_per_ciphertext_ms"] = perCiphertextMs,
            ["encrypt_microbenchmark_ms"] = microMs,
            ["encrypt_pipeline_vs_microbenchmark"] = Math.Round(perCiphertextMs / microMs, 3),
            ["aggregate_ms"] = aggregate.Elapsed.TotalMilliseconds,
            ["open_uploads_ms"] = openMs,
            ["decrypt_shares_ms"] = sharesMs,
            ["decrypt_slowest_share_ms"] = slowestShareMs,
            ["collective_decrypt_ms"] = decrypt.Elapsed.TotalMilliseconds,
            ["collective_decrypt_vs_goal_500ms"] = Math.Round(decrypt.Elapsed.TotalMilliseconds / CollectiveDecryptGoalMs, 3),
            ["upload_bytes_per_client"] = uploadBytes,
            ["upload_bits_per_value"] = uploadBytes * 8.0 / length,
            ["upload_expansion_vs_plaintext"] = uploadBytes * 8.0 / length / Bits,
            ["sum_matches"] = ok,
        };
    }

    // The bare operation: encrypt one full block (B bodies) and switch it to the upload level, no packing or
    // serialization; median of reps after warm-up, like the per-ring figures.
    private static double EncryptMicrobenchmark(AggregationPlan plan, PublicKey pk, ulong[] values, int reps, IRandomSource rng)
    {
        var encryptor = new BfvEncryptor(pk);
        var coefficients = new ulong[plan.Options.Bodies * plan.Parameters.Degree];
        LanePacking.PackBlock(plan, values, 0, coefficients);
        return HeBenchRing.Median(reps, () => encryptor.Encrypt(coefficients, rng, plan.UploadLevel));
    }
}
