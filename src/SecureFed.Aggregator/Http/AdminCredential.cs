using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Hosting;

namespace SecureFed.Aggregator.Http;

/// <summary>
/// The admin API key: 32 random bytes kept as hex in a file readable only by the service's user (<see cref="SecretKeyFile"/>),
/// presented as <c>Authorization: Bearer &lt;hex&gt;</c>. Only its SHA-256 stays in memory; compared in
/// constant time.
/// </summary>
internal sealed class AdminCredential
{
    public const string DefaultFileName = "securefed-admin.key";

    private readonly byte[] _hash;

    public AdminCredential(IOptions<AggregatorOptions> options)
    {
        AggregatorOptions o = options.Value;
        FilePath = SecretKeyFile.Ensure(o.AdminKeyFile, o.DatabasePath, DefaultFileName);
        string key = File.ReadAllText(FilePath).Trim();
        if (key.Length < 32 || !key.All(char.IsAsciiHexDigit))
        {
            throw new InvalidOperationException($"the admin key file {FilePath} must hold at least 32 hex digits");
        }
        _hash = SHA256.HashData(Encoding.ASCII.GetBytes(key.ToLowerInvariant()));
    }

    public string FilePath { get; }

    public bool Accepts(HttpRequest request)
    {
        string? header = request.Headers.Authorization.Count == 1 ? request.Headers.Authorization[0] : null;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }
        byte[] presented = SHA256.HashData(Encoding.ASCII.GetBytes(header["Bearer ".Length..].Trim().ToLowerInvariant()));
        return CryptographicOperations.FixedTimeEquals(presented, _hash);
    }
}
