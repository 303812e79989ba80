using Microsoft.Extensions.Configuration;
using SecureFed.Cluster.Hosting;

namespace SecureFed.Cluster.Tests;

public sealed class ClusterConnectionStringTests
{
    private const string Secret = "s3cret-Pa55";

    [Fact]
    public void Configuration_is_read_and_ToString_hides_credentials()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:SecureFedCluster"] = $"Host=127.0.0.1;Port=5999;Database=rounds;Username=u;Password={Secret}",
        }).Build();

        ClusterConnectionString read = ClusterConnectionString.TryRead(configuration)!;

        Assert.Contains(Secret, read.Value, StringComparison.Ordinal);
        Assert.Equal("Host=127.0.0.1;Port=5999;Database=rounds", read.ToString());
    }

    [Fact]
    public void A_malformed_string_is_refused_without_repeating_it()
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterConnectionString.From($"Host=127.0.0.1;Pasword{Secret};=="));
        Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal);
    }
}
