using System.Text.Json;
using SecureFed.Lattice.Bfv;

namespace SecureFed.Cli.Commands;

// What `simulate --scheme he` prints: the masking path's field names plus the HE parameters.
internal sealed class HeSimulationReport(AggregationPlan plan, int length, int survivors, int decryptorsResponding)
{
    public Dictionary<string, double> Timings { get; } = new(StringComparer.Ordinal);

    public bool SumMatches { get; set; }

    public string? AbortReason { get; private set; }

    public long ClientUploadBytes { get; set; }

    public long ClientBytesSent { get; set; }

    public long ServerBytesSent { get; set; }

    public long DecryptorBytesSent { get; set; }

    public int DecryptionAttempts { get; set; }

    // How the published sum was checked against bad decryption shares (he.md 10.7); "-" when aborted.
    public string DecryptionCheck { get; set; } = "-";

    public DpOutcome? Dp { get; set; }

    public HeSimulationReport Abort(string reason)
    {
        AbortReason = reason;
        SumMatches = false;
        return this;
    }

    public void Write(TextWriter o, bool json)
    {
        var p = plan.Parameters;
        if (json)
        {
            var doc = new Dictionary<string, object?>
            {
                ["scheme"] = "he",
                ["clients"] = plan.Options.Clients,
                ["survivors"] = survivors,
                ["length"] = length,
                ["bits"] = plan.Options.Bits,
                ["lanes"] = plan.Options.Lanes,
                ["bodies"] = plan.Options.Bodies,
                ["sum_matches"] = SumMatches,
                ["aborted"] = AbortReason is not null,
                ["abort_reason"] = AbortReason,
                ["timings_ms"] = Timings.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 3)),
                ["client_upload_bytes"] = ClientUploadBytes,
                ["client_bytes_sent_mean"] = survivors == 0 ? 0 : ClientBytesSent / survivors,
                ["server_bytes_sent"] = ServerBytesSent,
                ["decryptor_bytes_sent"] = DecryptorBytesSent,
                ["decryptors"] = plan.Options.Decryptors,
                ["decryptors_responding"] = decryptorsResponding,
                ["decryption_attempts"] = DecryptionAttempts,
                ["decryption_check"] = DecryptionCheck,
                ["threshold"] = plan.Shares,
                ["degree"] = p.Degree,
                ["prime_bits"] = p.Primes.Select(q => 64 - System.Numerics.BitOperations.LeadingZeroCount(q)).ToArray(),
                ["upload_level"] = plan.UploadLevel,
                ["noise_budget_bits"] = Math.Round(plan.NoiseBudgetBits, 2),
                ["upload_bits_per_value"] = Math.Round(ClientUploadBytes * 8.0 / length, 2),
                ["dp"] = Dp,
            };
            o.WriteLine(JsonSerializer.Serialize(doc, SimulationSummary.JsonOptions));
            return;
        }
        o.WriteLine($"scheme: he  clients: {plan.Options.Clients}  survivors: {survivors}  length: {length}  bits: {plan.Options.Bits}  lanes: {plan.Options.Lanes}  bodies: {plan.Options.Bodies}");
        o.WriteLine($"parameters: N = {p.Degree}, primes {string.Join("+", p.Primes.Select(q => 64 - System.Numerics.BitOperations.LeadingZeroCount(q)))} bits, upload at {plan.UploadLevel} prime(s) ({plan.UploadModulusBits:F1} bits), noise budget left {plan.NoiseBudgetBits:F1} bits");
        o.WriteLine($"decryptors: {plan.Options.Decryptors} (threshold {plan.Shares}, {decryptorsResponding} responding, {DecryptionAttempts} decryption attempt(s), check {DecryptionCheck}), flooding 2^{plan.FloodingBoundBits:F1} per share");
        foreach (var (stage, ms) in Timings)
        {
            o.WriteLine($"  {stage,-20} {ms,12:F1} ms");
        }
        o.WriteLine($"client upload: {ClientUploadBytes:N0} bytes ({ClientUploadBytes * 8.0 / length:F1} bits per value, {ClientUploadBytes * 8.0 / length / plan.Options.Bits:F2}x plaintext)");
        o.WriteLine($"server: {ServerBytesSent:N0} bytes sent; decryptors: {DecryptorBytesSent:N0} bytes sent");
        SimulationSummary.WriteVerdict(o, Dp, AbortReason, SumMatches);
    }
}
