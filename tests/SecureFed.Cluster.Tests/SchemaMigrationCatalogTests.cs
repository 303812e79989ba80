using System.Security.Cryptography;
using System.Text;
using SecureFed.Cluster.Schema;

namespace SecureFed.Cluster.Tests;

/// <summary>The embedded steps themselves (no database needed).</summary>
public sealed class SchemaMigrationCatalogTests
{
    [Fact]
    public void Steps_are_dense_from_one_and_checksummed()
    {
        IReadOnlyList<SchemaMigration> steps = SchemaMigrationCatalog.Embedded.Migrations;
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.Version));
        Assert.All(steps, s => Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(s.Sql)), s.Checksum));
        Assert.All(steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Name)));
    }

    [Fact]
    public void Every_query_key_of_the_Orleans_providers_is_defined_once()
    {
        string all = string.Concat(SchemaMigrationCatalog.Embedded.Migrations.Select(m => m.Sql));
        foreach (string key in OrleansQueryKeys.All)
        {
            int first = all.IndexOf($"('{key}'", StringComparison.Ordinal);
            Assert.True(first >= 0, $"query {key} is missing");
            Assert.Equal(-1, all.IndexOf($"('{key}'", first + 1, StringComparison.Ordinal));
        }
    }
}
