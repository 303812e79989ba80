using System.Globalization;
using System.Text.Json.Nodes;

namespace SecureFed.Cli.Commands;

// Ratios against node-seal's results.json (SEAL 4.1 WASM, same machine, same run of bench/he-vs-seal.sh) and the
// human-readable report.
internal static class HeBenchComparison
{
    private static double D(JsonNode? node) =>
        double.Parse(node?.ToJsonString() ?? throw new InvalidDataException("missing field"), CultureInfo.InvariantCulture);

    public static JsonObject Ratios(JsonObject ours, JsonArray seal)
    {
        var result = new JsonObject();
        foreach (var ring in ours["rings"]!.AsArray())
        {
            int n = (int)D(ring!["degree"]);
            var s = seal.FirstOrDefault(x => x?["N"] is JsonNode v && D(v) == n);
            if (s is null)
            {
                continue;
            }
            double Ratio(string sealKey, string ourKey) => Math.Round(D(s[sealKey]) / D(ring[ourKey]), 2);
            double nttSeal = D(s["nttFwdPerPolyPrimeUs"]);
            double nttOurs = ring["ntt_per_prime"]!.AsArray().Average(x => D(x!["forward_us"]));
            result[$"N{n}"] = new JsonObject
            {
                ["seal_encrypt_pk_ms"] = D(s["tEncryptPk"]),
                ["speedup_encrypt_pk"] = Ratio("tEncryptPk", "encrypt_pk_ms"),
                ["speedup_encrypt_pk_os_csprng"] = Ratio("tEncryptPk", "encrypt_pk_os_csprng_ms"),
                ["speedup_encrypt_symmetric"] = Ratio("tEncryptSym", "encrypt_symmetric_ms"),
                ["speedup_decrypt"] = Ratio("tDec", "decrypt_ms"),
                ["speedup_keygen_public"] = Ratio("tPk", "keygen_public_ms"),
                ["speedup_ntt_forward"] = Math.Round(nttSeal / nttOurs, 2),
                ["seal_bytes_ct_pk"] = D(s["sizes"]!["ct_pk_none"]),
                ["our_bytes_ct_pk_modswitched"] = D(ring["bytes_ct_pk_modswitched"]),
            };
            var fl = s["fl"];
            var pipe = ours["pipeline"]!;
            if (fl is not null && n == 4096 && D(fl["VEC"]) == D(pipe["values"]))
            {
                result["pipeline_encrypt_per_client_speedup_vs_seal_n4096"] = Math.Round(
                    D(fl["perClientEncEnc"]) / D(pipe["encrypt_per_client_ms"]), 2);
                result["seal_pipeline_encrypt_per_client_ms"] = D(fl["perClientEncEnc"]);
            }
        }
        return result;
    }

    public static void WriteText(JsonObject r, TextWriter o)
    {
        string F(JsonNode? x) => x is null ? "-" : Convert.ToDouble(x.ToString(), CultureInfo.InvariantCulture).ToString("0.###", CultureInfo.InvariantCulture);
        o.WriteLine($"bench he  ({r["machine"]}, reps {r["reps"]}, single thread)");
        foreach (var ring in r["rings"]!.AsArray())
        {
            o.WriteLine($"N = {ring!["degree"]}  primes {ring["prime_bits"]!.ToJsonString()} (SEAL BFVDefault)  decrypt correct: {ring["decrypt_correct"]}");
            foreach (var ntt in ring["ntt_per_prime"]!.AsArray())
            {
                o.WriteLine($"  NTT {ntt!["prime_bits"]}-bit prime: forward {F(ntt["forward_us"])} us, inverse {F(ntt["inverse_us"])} us");
            }
            o.WriteLine($"  keygen: secret {F(ring["keygen_secret_ms"])} ms, public {F(ring["keygen_public_ms"])} ms");
            o.WriteLine($"  encrypt (public key) {F(ring["encrypt_pk_ms"])} ms [OS CSPRNG {F(ring["encrypt_pk_os_csprng_ms"])} ms; + modswitch {F(ring["encrypt_pk_and_modswitch_ms"])} ms], symmetric {F(ring["encrypt_symmetric_ms"])} ms");
            o.WriteLine($"  add {F(ring["add_ms"])} ms, decrypt {F(ring["decrypt_ms"])} ms");
            o.WriteLine($"  bytes per ciphertext: public-key {ring["bytes_ct_pk"]}, modswitched one prime down {ring["bytes_ct_pk_modswitched"]}, seeded symmetric {ring["bytes_ct_symmetric_seeded"]}");
        }
        foreach (var p in new[] { r["pipeline"]! }.Concat(r["pipeline_variants"]!.AsArray().Select(x => x!)))
        {
            o.WriteLine($"pipeline ({p["layout"]} layout): {p["clients"]} clients x {p["values"]} values, {p["bits"]}-bit, {p["lanes"]} value(s) per coefficient, {p["bodies"]} bodies per mask, collective key of {p["decryptors"]} decryptors, threshold {p["threshold"]}, flooding 2^{p["flooding_bits"]}");
            o.WriteLine($"  N = {p["degree"]}, primes {p["prime_bits"]!.ToJsonString()}, upload level {p["upload_level"]}, noise budget left {p["noise_budget_bits"]} bits, {p["ciphertexts_per_client"]} ciphertexts per client");
            o.WriteLine($"  keygen {F(p["keygen_ms"])} ms; encrypt per client {F(p["encrypt_per_client_ms"])} ms; aggregate {F(p["aggregate_ms"])} ms; collective decrypt {F(p["collective_decrypt_ms"])} ms (shares {F(p["decrypt_shares_ms"])} ms) = {F(p["collective_decrypt_vs_goal_500ms"])}x the 0.5 s goal");
            o.WriteLine($"  per ciphertext: pipeline {F(p["encrypt_per_ciphertext_ms"])} ms vs bare encryption {F(p["encrypt_microbenchmark_ms"])} ms at these parameters = {F(p["encrypt_pipeline_vs_microbenchmark"])}x");
            o.WriteLine($"  per ciphertext, process CPU: pipeline {F(p["encrypt_per_ciphertext_cpu_ms"])} ms vs bare encryption {F(p["encrypt_microbenchmark_cpu_ms"])} ms = {F(p["encrypt_pipeline_vs_microbenchmark_cpu"])}x; one block of the same work, warm, {F(p["encrypt_block_floor_ms"])} ms = {F(p["encrypt_pipeline_vs_block_floor"])}x ({F(p["encrypt_pipeline_vs_block_floor_cpu"])}x in CPU); a first round into a fresh array {F(p["encrypt_first_round_per_ciphertext_ms"])} ms");
            o.WriteLine($"  upload {p["upload_bytes_per_client"]} bytes per client = {F(p["upload_bits_per_value"])} bits per value = {F(p["upload_expansion_vs_plaintext"])}x the plaintext bits; sum_matches {p["sum_matches"]}");
        }
        if (r["client_path"] is JsonObject c)
        {
            o.WriteLine($"client path (state machine, {c["rounds"]} rounds of {c["ciphertexts_per_round"]} ciphertexts, {c["upload_bytes"]}-byte upload; bare encryption {F(c["encrypt_microbenchmark_ms"])} ms):");
            foreach (string way in new[] { "fresh_upload", "kept_buffer" })
            {
                var w = c[way]!;
                o.WriteLine($"  {way}: later rounds {F(w["later_rounds_ms_per_ciphertext"])} ms per ciphertext = {F(w["later_rounds_vs_microbenchmark"])}x the bare encryption ({F(w["later_rounds_vs_microbenchmark_cpu"])}x in CPU), {w["later_rounds_allocated_bytes"]} bytes allocated per round = {F(w["later_rounds_allocated_vs_upload"])}x the upload");
            }
            o.WriteLine($"  allocated by each step (last round, fresh): {c["allocation_breakdown"]!.ToJsonString()}");
        }
        if (r["default_layout_1000_clients"] is JsonObject big)
        {
            o.WriteLine($"default layout at {big["clients"]} clients (planned): N = {big["degree"]}, lanes {big["lanes"]}, bodies {big["bodies"]}, upload {big["upload_bytes_per_client"]} bytes = {F(big["upload_expansion_vs_plaintext"])}x the plaintext bits");
        }
        if (r["vs_seal_wasm"] is JsonObject cmp)
        {
            o.WriteLine($"vs SEAL 4.1 WASM (node-seal, same run): {cmp.ToJsonString()}");
        }
        o.WriteLine($"sum_matches: {(AllMatch(r) ? "true" : "false")}");
    }

    public static bool AllMatch(JsonObject r) =>
        r["pipeline"]!["sum_matches"]!.GetValue<bool>() && r["pipeline_variants"]!.AsArray().All(p => p!["sum_matches"]!.GetValue<bool>());
}
