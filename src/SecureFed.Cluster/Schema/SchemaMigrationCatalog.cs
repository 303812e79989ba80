using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace SecureFed.Cluster.Schema;

/// <summary>
/// The schema steps this build carries: the embedded <c>Schema/Migrations/NNNN_name.sql</c> files, in version order.
/// </summary>
public sealed class SchemaMigrationCatalog
{
    private const string ResourcePrefix = "SecureFed.Cluster.Migrations.";

    private SchemaMigrationCatalog(IReadOnlyList<SchemaMigration> migrations) => Migrations = migrations;

    /// <summary>The steps, versions 1..N without gaps.</summary>
    public IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>The version a database has after every step of this build.</summary>
    public int LatestVersion => Migrations[^1].Version;

    /// <summary>The steps embedded in this assembly.</summary>
    public static SchemaMigrationCatalog Embedded { get; } = Load(typeof(SchemaMigrationCatalog).Assembly);

    private static SchemaMigrationCatalog Load(Assembly assembly)
    {
        var migrations = new List<SchemaMigration>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            string file = resource[ResourcePrefix.Length..^".sql".Length];
            int underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            // Line endings normalised so a checkout with CRLF does not change the checksum.
            string sql = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
            migrations.Add(new SchemaMigration(version, file[(underscore + 1)..], sql, SHA256.HashData(Encoding.UTF8.GetBytes(sql))));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration versions must run 1..N without gaps or repeats; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException("No schema migrations are embedded.");
        }

        return new SchemaMigrationCatalog(migrations);
    }
}
