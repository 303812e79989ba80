using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;

namespace SecureFed.Testing.Vectors;

/// <summary>
/// secagg-directory.json (secagg.md section 3): the Merkle tree over R0 envelopes (RFC 6962 tree hash), its roots for
/// several leaf counts, the proofs of several leaf sets, and a session id from a root. Leaves are synthetic (the tree
/// does not read bodies or check signatures): leaf i has sender 3 i + 2, a body of 20 + i bytes and a 64-byte
/// signature, both cut from SHA-256 of a label and i.
/// </summary>
public static class DirectoryVectors
{
    public static JsonNode Directory()
    {
        var cases = new JsonArray();
        foreach (int m in new[] { 1, 2, 3, 5, 8, 11 })
        {
            ClientEnvelope[] entries = [.. Enumerable.Range(0, m).Select(Leaf)];
            DirectoryTree tree = DirectoryTree.Build(entries);
            int[][] sets = [[0], [m - 1], [.. Enumerable.Range(0, m)], [.. new[] { 1, 4, 5 }.Where(i => i < m)], [.. Enumerable.Range(0, m).Where(i => i % 3 == 2)]];
            var proofs = new JsonArray();
            foreach (int[] set in sets.Where(s => s.Length > 0).DistinctBy(s => string.Join(',', s)))
            {
                proofs.Add(new JsonObject { ["indices"] = new JsonArray([.. set.Select(i => (JsonNode)i)]), ["proof"] = Convert.ToHexStringLower(tree.Proof(set)) });
            }
            cases.Add(new JsonObject
            {
                ["leaves"] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
                {
                    ["id"] = e.SenderId, ["body"] = Convert.ToHexStringLower(e.Body), ["signature"] = Convert.ToHexStringLower(e.Signature),
                })]),
                ["root"] = Convert.ToHexStringLower(tree.Root),
                ["proofs"] = proofs,
            });
        }
        byte[] configurationHash = SHA256.HashData("SecureFed vector configuration"u8);
        DirectoryTree last = DirectoryTree.Build([.. Enumerable.Range(0, 11).Select(Leaf)]);
        return new JsonObject
        {
            ["description"] = "Key directory tree (secagg.md 3): leaf = SHA-256(0x00 || BE32(id) || BE32(len body) || body || signature), node = SHA-256(0x01 || l || r), RFC 6962 split; a proof is the hashes of the largest subtrees holding no listed leaf, depth first, left to right",
            ["cases"] = cases,
            ["session_configuration_hash"] = Convert.ToHexStringLower(configurationHash),
            ["session_id_of_last_case"] = Convert.ToHexStringLower(SessionDerivation.SessionId(configurationHash, last.Count, last.Root)),
        };
    }

    private static ClientEnvelope Leaf(int i)
    {
        byte[] body = SHA256.HashData(Encoding.ASCII.GetBytes($"body {i}"));
        byte[] signature = [.. SHA256.HashData(Encoding.ASCII.GetBytes($"signature {i}a")), .. SHA256.HashData(Encoding.ASCII.GetBytes($"signature {i}b"))];
        return new ClientEnvelope { SenderId = (uint)(3 * i + 2), Stage = ProtocolStage.AdvertiseKeys, Body = body.Concat(body).Take(20 + i).ToArray(), Signature = signature };
    }
}
