using System.Diagnostics;
using System.Text.Json.Nodes;
using SecureFed.Lattice.Bfv;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Cli.Commands;

// Per-operation timings at one ring degree, with SEAL's default prime chain (so the figures line up with
// node-seal's BFVDefault run). Medians after a warm-up that lets tiered JIT reach its optimised code.
internal static class HeBenchRing
{
    public static JsonObject Measure(int degree, int reps)
    {
        var p = BfvParameters.SealDefault(degree, 32);
        using var rng = new DeterministicRandomSource(degree);
        var ntt = new JsonArray();
        foreach (var (fwd, inv, bits) in HeBenchNtt.PerPrime(p, reps * 3))
        {
            ntt.Add(new JsonObject { ["prime_bits"] = bits, ["forward_us"] = fwd, ["inverse_us"] = inv });
        }
        SecretKey? sk = null;
        double tSk = Median(Math.Max(5, reps / 4), () => { sk?.Dispose(); sk = SecretKey.Generate(p, rng); });
        PublicKey? pk = null;
        double tPk = Median(Math.Max(5, reps / 4), () => pk = PublicKey.Generate(sk!, rng));
        var values = new ulong[degree];
        for (int i = 0; i < degree; i++)
        {
            values[i] = rng.NextBelow(1UL << 32);
        }
        var enc = new BfvEncryptor(pk!);
        var sym = new BfvSymmetricEncryptor(sk!);
        var dec = new BfvDecryptor(sk!);
        Ciphertext ct = enc.Encrypt(values, rng);
        double tEnc = Median(reps, () => ct = enc.Encrypt(values, rng));
        double tEncSystem = Median(reps, () => enc.Encrypt(values, SystemRandomSource.Instance));
        double tEncSwitch = Median(reps, () => enc.Encrypt(values, rng, p.KeyLevel - 1));
        Ciphertext sct = sym.Encrypt(values, rng);
        double tSym = Median(reps, () => sct = sym.Encrypt(values, rng));
        var other = enc.Encrypt(values, rng);
        var acc = ct.Clone();
        double tAdd = Median(reps * 10, () => acc.AddInPlace(other));
        var back = new ulong[degree];
        double tDec = Median(reps, () => dec.Decrypt(ct, back));
        bool ok = back.AsSpan().SequenceEqual(values);
        var lowered = ct.Clone();
        lowered.SwitchToLevel(p.KeyLevel - 1);
        var result = new JsonObject
        {
            ["degree"] = degree,
            ["prime_bits"] = new JsonArray(p.Primes.Select(q => (JsonNode)(64 - System.Numerics.BitOperations.LeadingZeroCount(q))).ToArray()),
            ["ntt_per_prime"] = ntt,
            ["keygen_secret_ms"] = tSk,
            ["keygen_public_ms"] = tPk,
            ["encrypt_pk_ms"] = tEnc,
            ["encrypt_pk_os_csprng_ms"] = tEncSystem,
            ["encrypt_pk_and_modswitch_ms"] = tEncSwitch,
            ["encrypt_symmetric_ms"] = tSym,
            ["add_ms"] = tAdd,
            ["decrypt_ms"] = tDec,
            ["decrypt_correct"] = ok,
            ["bytes_ct_pk"] = CiphertextCodec.Serialize(ct).Length,
            ["bytes_ct_pk_modswitched"] = CiphertextCodec.Serialize(lowered).Length,
            ["bytes_ct_symmetric_seeded"] = CiphertextCodec.Serialize(sct).Length,
        };
        sk!.Dispose();
        return result;
    }

    public static double Median(int reps, Action action) => Median(reps, action, out _);

    /// <summary>The median of <paramref name="reps"/> timed calls; <paramref name="calls"/> counts the warm-up too.</summary>
    public static double Median(int reps, Action action, out int calls)
    {
        // Warm-up: ~250 ms of calls (at least 5), so tiered JIT has promoted the hot loops to optimised code.
        var warm = Stopwatch.StartNew();
        calls = reps;
        for (int i = 0; i < 100_000 && (i < 5 || warm.ElapsedMilliseconds < 250); i++, calls++)
        {
            action();
        }
        var times = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(times);
        return reps % 2 == 1 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
    }
}
