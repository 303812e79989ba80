using System.Text.Json.Nodes;
using SecureFed.Lattice.Bfv;

namespace SecureFed.Cli.Commands;

// The automatic layout the plan picks for the bench's round shape (every client a decryptor, a strict majority
// decrypting, 32-bit values), described without running it: for client counts too large to simulate here.
internal static class HeBenchLayout
{
    public const int Bits = 32;

    // The bench's round: lanes and bodies 0 = the plan's automatic layout.
    public static AggregationPlan Plan(int clients, int length, int lanes = 0, int bodies = 0) => AggregationPlan.Create(new AggregationOptions
    {
        Clients = clients, InputRange = (1UL << Bits) / (ulong)clients, Bits = Bits, Lanes = lanes, Bodies = bodies, Decryptors = clients,
        Threshold = clients / 2 + 1, VectorLength = length,
    });

    public static JsonObject Describe(int clients, int length)
    {
        var plan = Plan(clients, length);
        return new JsonObject
        {
            ["clients"] = clients,
            ["values"] = length,
            ["degree"] = plan.Parameters.Degree,
            ["lanes"] = plan.Options.Lanes,
            ["bodies"] = plan.Options.Bodies,
            ["upload_level"] = plan.UploadLevel,
            ["upload_modulus_bits"] = Math.Round(plan.UploadModulusBits, 2),
            ["noise_budget_bits"] = Math.Round(plan.NoiseBudgetBits, 2),
            ["upload_bytes_per_client"] = plan.UploadBytes,
            ["upload_expansion_vs_plaintext"] = Math.Round(plan.UploadBytes * 8.0 / length / Bits, 3),
        };
    }
}
