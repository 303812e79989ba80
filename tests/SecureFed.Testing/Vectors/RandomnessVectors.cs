using System.Text.Json.Nodes;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Testing.Vectors;

/// <summary>
/// The vector of DeterministicRandomSource (protocol-spec/secagg.md 11): an integer seed, a byte seed and
/// <see cref="DeterministicRandomSource.Derive"/>, each as the first bytes of its stream, and NextBelow's rejection.
/// </summary>
public static class RandomnessVectors
{
    private const int Shown = 48;

    public static JsonNode DeterministicRandom()
    {
        byte[] byteSeed = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        var cases = new JsonArray
        {
            Case("integer seed 2017", new JsonObject { ["seed"] = 2017 }, new DeterministicRandomSource(2017)),
            Case("negative integer seed -1", new JsonObject { ["seed"] = -1 }, new DeterministicRandomSource(-1)),
            Case("byte seed", new JsonObject { ["seed_hex"] = Convert.ToHexStringLower(byteSeed) }, new DeterministicRandomSource(byteSeed)),
            Case("Derive(7, \"aggregator\")", new JsonObject { ["seed"] = 7, ["purpose"] = "aggregator", ["index"] = 0 }, DeterministicRandomSource.Derive(7, "aggregator")),
            Case("Derive(7, \"client\", 3)", new JsonObject { ["seed"] = 7, ["purpose"] = "client", ["index"] = 3 }, DeterministicRandomSource.Derive(7, "client", 3)),
        };
        // NextBelow(bound): a bound just above 2^63 rejects almost half of the words, so the first draws show it.
        const ulong Bound = (1UL << 63) + 12345;
        var draws = new JsonArray();
        using (var rng = new DeterministicRandomSource(2017))
        {
            for (int i = 0; i < 8; i++)
            {
                draws.Add(rng.NextBelow(Bound).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return new JsonObject
        {
            ["description"] = "DeterministicRandomSource (protocol-spec/secagg.md 11): the AES-256-CTR keystream (nonce 0) under SHA-256(\"SecureFed/deterministic-rng/v1\" || seed bytes); " +
                "an integer seed is its 8 bytes little-endian (two's complement); Derive(seed, purpose, index) uses the seed bytes UTF-8(purpose) || 0x00 || LE64(seed) || LE64(index). " +
                $"first_bytes_hex: the first {Shown} bytes. next_below: 8 NextBelow(2^63 + 12345) draws from DeterministicRandomSource(2017) (8-byte little-endian words; reject x > 2^64 - 1 - ((2^64 - 1) mod b + 1) mod b, else x mod b).",
            ["cases"] = cases,
            ["next_below_bound"] = Bound.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["next_below"] = draws,
        };
    }

    private static JsonObject Case(string name, JsonObject input, DeterministicRandomSource source)
    {
        var bytes = new byte[Shown];
        using (source)
        {
            source.Fill(bytes);
        }
        input["name"] = name;
        input["first_bytes_hex"] = Convert.ToHexStringLower(bytes);
        return input;
    }
}
