using System.Text.Json;
using System.Text.Json.Nodes;
using SecureFed.Testing.Vectors;

namespace SecureFed.Protocol.Tests;

// Regenerates every vector in protocol-spec/test-vectors/secagg-*.json and compares with the committed file.
public class TestVectorTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static TheoryData<string> Files => [.. SecAggVectors.All.Keys];

    [Theory]
    [MemberData(nameof(Files))]
    public void Committed_vectors_match_the_implementation(string file)
    {
        JsonNode fresh = SecAggVectors.All[file]();
        string path = Path.Combine(RepoPaths.TestVectors, file);
        if (Environment.GetEnvironmentVariable("SECUREFED_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(path, fresh.ToJsonString(Indented) + "\n");
        }
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SECUREFED_WRITE_VECTORS=1");
        JsonNode committed = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.True(JsonNode.DeepEquals(committed, fresh), $"{file} differs from what the code produces");
    }

    [Fact]
    public void The_round_vector_reconstructs_the_survivors_sum()
    {
        JsonNode round = SecAggVectors.WholeRound();
        ulong[] sum = [.. round["sum"]!.AsArray().Select(n => n!.GetValue<ulong>())];
        uint[] survivors = [.. round["survivors"]!.AsArray().Select(n => n!.GetValue<uint>())];
        Assert.Equal([1u, 3u, 4u, 5u], survivors);
        for (int k = 0; k < sum.Length; k++)
        {
            Assert.Equal((ulong)survivors.Sum(i => 1000 * i + k), sum[k]);
        }
    }
}
