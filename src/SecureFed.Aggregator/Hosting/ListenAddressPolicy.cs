using System.Net;

namespace SecureFed.Aggregator.Hosting;

/// <summary>Plain HTTP is allowed only on loopback unless <see cref="AggregatorOptions.AllowInsecureHttp"/> is set.</summary>
internal static class ListenAddressPolicy
{
    /// <summary>The configured http:// URLs (from "urls" and Kestrel:Endpoints) that are not loopback.</summary>
    public static List<string> InsecureUrls(IConfiguration configuration)
    {
        var urls = new List<string>();
        urls.AddRange((configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return [.. urls.Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsLoopback(u))];
    }

    private static bool IsLoopback(string url)
    {
        string rest = url["http://".Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string hostPort = slash >= 0 ? rest[..slash] : rest;
        string host = hostPort.StartsWith('[') ? hostPort[1..hostPort.IndexOf(']', StringComparison.Ordinal)] : hostPort.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }
}
