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
        const int Bits = HeBenchLayout.Bits;
        int threshold = clients / 2 + 1;
        var plan = HeBenchLayout.Plan(clients, length, lanes, bodies);
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
        var openings = new Dictionary<int, UploadOpening>();
        var acc = new UploadAccumulator(plan);
        var expected = new ulong[length];
        var values = new ulong[length];
        // Each device keeps its upload buffer from one round to the next (UploadEncryptor.Encrypt into a span), so a
        // steady-state upload touches no fresh memory: on this VM first-touch page faults of a fresh 8.8 MB array
        // cost about as much as the encryption itself. The bench's devices run one after another and share one
        // buffer; the aggregator takes each upload as it arrives (opening at H2, then the running sum), so the
        // buffer is free again before the next device encrypts. A device's first round (a fresh array) is timed
        // separately below.
        var upload = new byte[UploadEncryptor.UploadSize(plan, length)];
        double encryptMs = 0, encryptCpuMs = 0, openMs = 0, aggregateMs = 0;
        for (int c = 1; c <= clients; c++)
        {
            for (int i = 0; i < length; i++)
            {
                values[i] = rng.NextBelow(plan.Options.InputRange);
                expected[i] += values[i];
            }
            double cpu0 = CpuMs();
            long t0 = Stopwatch.GetTimestamp();
            encryptor.Encrypt(values, rng, upload);
            encryptMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            encryptCpuMs += CpuMs() - cpu0;
            // The aggregator splits each upload into its opening when it accepts it (H2), not at decryption.
            long t1 = Stopwatch.GetTimestamp();
            openings[c] = UploadOpening.FromUpload(upload, plan.Parameters);
            openMs += Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
            long t2 = Stopwatch.GetTimestamp();
            acc.Add(upload);
            aggregateMs += Stopwatch.GetElapsedTime(t2).TotalMilliseconds;
            // The client computes its commitment once and sends it to every decryptor (hashing the upload once
            // per decryptor here only churned the caches between the timed encryptions).
            byte[] commitment = UploadCommitment.Compute(1, c, openings[c]);
            foreach (var d in decryptors)
            {
                d.RegisterCommitment(1, c, commitment);
            }
            error.WriteLine($"  encrypted client {c}/{clients} (lanes {plan.Options.Lanes}, bodies {plan.Options.Bodies})");
        }
        // A device's first round: the same upload into a freshly allocated array (Encrypt returning byte[]).
        double freshCpu0 = CpuMs();
        long tf = Stopwatch.GetTimestamp();
        byte[] fresh = encryptor.Encrypt(values, rng);
        double freshMs = Stopwatch.GetElapsedTime(tf).TotalMilliseconds;
        double freshCpuMs = CpuMs() - freshCpu0;
        GC.KeepAlive(fresh);
        var (microMs, microCpuMs) = EncryptMicrobenchmark(plan, pk, values, reps, rng);
        // The same work per ciphertext as the pipeline (lane packing, encryption, modulus switch, bit packing) on
        // one block, warm, into a reused buffer: the floor without the bare microbenchmark's allocations.
        var (blockMs, blockCpuMs) = BlockFloor(plan, encryptor, values, reps, rng);
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
        long uploadBytes = upload.LongLength;
        int blocks = UploadEncryptor.BlockCount(plan, length);
        double perCiphertextMs = encryptMs / clients / blocks;
        double perCiphertextCpuMs = encryptCpuMs / clients / blocks;
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
            ["encrypt_per_ciphertext_cpu_ms"] = perCiphertextCpuMs,
            ["encrypt_microbenchmark_cpu_ms"] = microCpuMs,
            ["encrypt_pipeline_vs_microbenchmark_cpu"] = Math.Round(perCiphertextCpuMs / microCpuMs, 3),
            ["encrypt_block_floor_ms"] = blockMs,
            ["encrypt_block_floor_cpu_ms"] = blockCpuMs,
            ["encrypt_pipeline_vs_block_floor"] = Math.Round(perCiphertextMs / blockMs, 3),
            ["encrypt_pipeline_vs_block_floor_cpu"] = Math.Round(perCiphertextCpuMs / blockCpuMs, 3),
            ["encrypt_first_round_per_ciphertext_ms"] = freshMs / blocks,
            ["encrypt_first_round_per_ciphertext_cpu_ms"] = freshCpuMs / blocks,
            ["aggregate_ms"] = aggregateMs,
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
    // serialization, each call allocating its result (2.6 MB at N = 8192 with 7 bodies); median of reps after
    // warm-up, like the per-ring figures, and the mean process CPU time per call.
    internal static (double Ms, double CpuMs) EncryptMicrobenchmark(AggregationPlan plan, PublicKey pk, ulong[] values, int reps, IRandomSource rng)
    {
        var encryptor = new BfvEncryptor(pk);
        var coefficients = new ulong[plan.Options.Bodies * plan.Parameters.Degree];
        LanePacking.PackBlock(plan, values, 0, coefficients);
        return Timed(reps, () => encryptor.Encrypt(coefficients, rng, plan.UploadLevel));
    }

    private static (double Ms, double CpuMs) BlockFloor(AggregationPlan plan, UploadEncryptor encryptor, ulong[] values, int reps, IRandomSource rng)
    {
        var block = values.AsSpan(0, Math.Min(values.Length, plan.ValuesPerCiphertext)).ToArray();
        var output = new byte[UploadEncryptor.UploadSize(plan, block.Length)];
        return Timed(reps, () => encryptor.Encrypt(block, rng, output));
    }

    private static (double Ms, double CpuMs) Timed(int reps, Action action)
    {
        double cpu0 = CpuMs();
        double median = HeBenchRing.Median(reps, action, out int calls);
        return (median, (CpuMs() - cpu0) / calls);
    }

    // Process CPU time: under load the wall clock also counts time the bench waits for a core; this does not.
    internal static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
}
