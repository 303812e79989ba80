using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace SecureFed.Testing.Vectors;

/// <summary>
/// Compares a generated vector with the committed file in protocol-spec/test-vectors/ (the HE and lattice vectors'
/// convention: SECUREFED_REGENERATE_TEST_VECTORS=1 rewrites the file first, after a deliberate change).
/// </summary>
public static class CommittedVector
{
    public static void AssertMatches(string file, JsonObject generated)
    {
        string path = Path.Combine(RepoPaths.TestVectors, file);
        string text = generated.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("SECUREFED_REGENERATE_TEST_VECTORS") == "1")
        {
            File.WriteAllText(path, text);
        }
        Assert.True(File.Exists(path), $"{path} is missing; run with SECUREFED_REGENERATE_TEST_VECTORS=1");
        var committed = JsonNode.Parse(File.ReadAllText(path));
        Assert.True(JsonNode.DeepEquals(committed, JsonNode.Parse(text)), $"{file} differs from what the implementation produces");
    }
}
