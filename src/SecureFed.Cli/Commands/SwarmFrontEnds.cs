namespace SecureFed.Cli.Commands;

/// <summary>
/// Several front ends of one aggregator (`swarm --also-server`): a request whose front end refuses the connection
/// (a silo that died) is sent to the next one instead, as a load balancer would. Requests are signed over their path
/// only (transport.md), so the same request is valid at every front end; each front end answers it from the cluster.
/// </summary>
internal sealed class SwarmFrontEnds(IReadOnlyList<Uri> frontEnds) : DelegatingHandler
{
    /// <summary>The comma-separated URLs of --also-server.</summary>
    /// <exception cref="CliUsageException">Not an http(s) URL.</exception>
    public static IEnumerable<Uri> Parse(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(text =>
            Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : throw new CliUsageException($"--also-server: '{text}' is not an http(s) URL"));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && attempt < frontEnds.Count)
            {
                request.RequestUri = Next(request.RequestUri!);
            }
        }
    }

    // The same path and query at the front end after the one the request went to.
    private Uri Next(Uri current)
    {
        int at = frontEnds.ToList().FindIndex(f => Uri.Compare(f, current, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);
        Uri next = frontEnds[(at + 1) % frontEnds.Count];
        return new UriBuilder(current) { Scheme = next.Scheme, Host = next.Host, Port = next.Port }.Uri;
    }
}
