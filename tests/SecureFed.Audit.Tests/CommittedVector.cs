using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecureFed.Audit.Tests;

// The audit vectors' compare-or-rewrite step: SECUREFED_WRITE_VECTORS=1 rewrites the committed file first.
internal static class CommittedVector
{
    public static void AssertMatches(string fileName, JsonNode fresh)
    {
        string path = System.IO.Path.Combine(RepoRoot.Path, "protocol-spec", "test-vectors", fileName);
        if (Environment.GetEnvironmentVariable("SECUREFED_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(path, fresh.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SECUREFED_WRITE_VECTORS=1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), fresh), $"{fileName} differs from what the code produces");
    }
}
