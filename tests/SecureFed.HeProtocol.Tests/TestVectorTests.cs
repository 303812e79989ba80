using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.HeProtocol.Server;
using SecureFed.HeProtocol.Simulation;
using SecureFed.Protocol.Messages;
using SecureFed.Testing.Vectors;

namespace SecureFed.HeProtocol.Tests;

/// <summary>
/// Regenerates protocol-spec/test-vectors/he-round-small.json (a deterministic round: 3 clients, all of them
/// decryptors, threshold 2, N = 4096, 4 values, decryptor 1 silent in H3 so the vector includes a retry) and
/// compares it with the committed file. SECUREFED_REGENERATE_TEST_VECTORS=1 rewrites it.
/// </summary>
public sealed class TestVectorTests
{
    [Fact]
    public void SmallRoundVector() => CommittedVector.AssertMatches("he-round-small.json", SmallRound());

    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexStringLower(b);

    private static JsonObject SmallRound()
    {
        using var f = new HeRoundFixture(clients: 3, decryptors: 3, threshold: 2, length: 4, seed: 2026, minimumClients: 2);
        var p = f.Parameters;
        var result = f.Simulate(new HeSimulationOptions { KeepServerLog = true, DecryptorsDroppedAtDecrypt = new HashSet<uint> { 1 } });
        var done = Assert.IsType<HeServerCompletedState>(result.Final);
        Assert.Equal(f.ExpectedSum(p.ClientIds), done.Result.Sum);
        var envelopes = new JsonArray();
        foreach (var entry in result.ServerLog)
        {
            if (entry.IsClose)
            {
                envelopes.Add((JsonNode)"close");
                continue;
            }
            var e = MessageCodec.Decode<HeEnvelope>(entry.Envelope, int.MaxValue);
            envelopes.Add(new JsonObject
            {
                ["stage"] = e.Stage.ToString(),
                ["sender"] = e.SenderId,
                ["bytes"] = entry.Envelope!.Length,
                ["sha256"] = Hex(SHA256.HashData(entry.Envelope)),
            });
        }
        var serverMessages = new JsonArray([.. result.ServerMessages.Select(m => (JsonNode)new JsonObject
        {
            ["type"] = MessageCodec.Decode<HeServerMessage>(m.Bytes, int.MaxValue).GetType().Name,
            ["recipients"] = new JsonArray([.. m.Recipients.Select(r => (JsonNode)r)]),
            ["bytes"] = m.Bytes.Length,
            ["sha256"] = Hex(SHA256.HashData(m.Bytes)),
        })]);
        return new JsonObject
        {
            ["description"] = "HE round (protocol-spec/he.md, Round protocol). Identities: Ed25519 seeds 32 x byte(id). Randomness: one DeterministicRandomSource(random_seed = 2026), consumed in the order of he.md 10.6. Client i's input: value j = (100 i + j) mod 1000. Decryptor 1 does not answer in H3, so attempt 2 uses decryptors [2, 3]. 'close' marks the host closing a stage; envelopes are listed in the order the server accepted them (its replay log).",
            ["configuration_hex"] = Hex(p.EncodedConfiguration.Span),
            ["configuration_hash"] = Hex(p.ConfigurationHash.Span),
            ["crp_seed"] = Hex(p.CrpSeed.Span),
            ["lattice_round"] = p.LatticeRound,
            ["share_key_info_1_to_2"] = Hex(HeDerivation.ShareKeyInfo(1, 2)),
            ["share_aad_1_to_2"] = Hex(HeDerivation.ShareAssociatedData(p.ConfigurationHash.Span, 1, 2)),
            ["random_seed"] = 2026,
            ["degree"] = p.Plan.Parameters.Degree,
            ["primes"] = new JsonArray([.. p.Plan.Parameters.Primes.Select(q => (JsonNode)q.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            ["upload_level"] = p.Plan.UploadLevel,
            ["upload_bytes"] = p.UploadSize,
            ["envelopes"] = envelopes,
            ["server_messages"] = serverMessages,
            ["attempts"] = done.Attempts,
            ["sum"] = new JsonArray([.. done.Result.Sum.Select(v => (JsonNode)v)]),
            ["contributors"] = new JsonArray([.. done.Result.Contributors.Select(v => (JsonNode)v)]),
        };
    }
}
