using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Orleans.Clustering.AdoNet;
using Orleans.Configuration;

namespace SecureFed.Cluster.Tests;

/// <summary>
/// Reads the query keys the Orleans ADO.NET provider assemblies we run ask for (their string literals) and checks
/// that our migrations define each one: the contract is the package, not our memory of it.
/// </summary>
public sealed partial class OrleansQueryKeyContractTests
{
    public static TheoryData<string> ProviderAssemblies => new()
    {
        typeof(AdoNetClusteringSiloOptions).Assembly.Location,
        typeof(AdoNetGrainStorageOptions).Assembly.Location,
        typeof(AdoNetReminderTableOptions).Assembly.Location,
    };

    [Theory]
    [MemberData(nameof(ProviderAssemblies))]
    public void Our_catalogue_defines_every_key_the_provider_reads(string assemblyPath)
    {
        string[] keys = QueryKeysIn(assemblyPath);
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Contains(key, OrleansQueryKeys.All));
    }

    private static string[] QueryKeysIn(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        UserStringHandle handle = MetadataTokens.UserStringHandle(1);
        while (!handle.IsNil)
        {
            string value = metadata.GetUserString(handle);
            if (QueryKeyName().IsMatch(value) && value is not ("QueryKey" or "SerializerKey"))
            {
                keys.Add(value);
            }

            handle = metadata.GetNextHandle(handle);
        }

        return [.. keys];
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*Key$")]
    private static partial Regex QueryKeyName();
}
