using System.Net.Http.Headers;
using System.Net.Http.Json;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Hosting;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Client;

/// <summary>
/// The operator's client for the admin API (/admin/v1, JSON, bearer admin key): enrol and revoke keys, hand out
/// enrolment tokens, open rounds and read their results. The admin key is sent only in the Authorization header.
/// </summary>
public sealed partial class SecureFedAdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Creates an admin client for <paramref name="server"/> with the service's admin key (hex).</summary>
    /// <exception cref="ArgumentException">The URL is not absolute, or plain HTTP to a non-loopback host without <paramref name="allowInsecureHttp"/>.</exception>
    public SecureFedAdminClient(Uri server, string adminKey, HttpClient? httpClient = null, bool allowInsecureHttp = false)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrWhiteSpace(adminKey);
        if (!server.IsAbsoluteUri || (server.Scheme == Uri.UriSchemeHttp && !server.IsLoopback && !allowInsecureHttp))
        {
            throw new ArgumentException($"{server} must be an absolute https URL (plain HTTP only to loopback unless allowed)", nameof(server));
        }
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient();
        _http.BaseAddress = server;
        _http.Timeout = TimeSpan.FromMinutes(5);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey.Trim());
    }

    /// <summary>Adds keys to a federation's roster; returns their client ids in order.</summary>
    public async Task<IReadOnlyList<uint>> EnrolKeysAsync(string federation, IEnumerable<IdentityPublicKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var body = new EnrolKeysRequest { PublicKeys = [.. keys.Select(k => k.ToString())] };
        using HttpResponseMessage r = await _http.PostAsJsonAsync($"/admin/v1/federations/{Uri.EscapeDataString(federation)}/clients", body, AdminJson.Options, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync<EnrolKeysResponse>(r, cancellationToken).ConfigureAwait(false)).ClientIds;
    }

    /// <summary>Revokes a client: its key is refused from now on, including in running rounds.</summary>
    public async Task RevokeAsync(string federation, uint clientId, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage r = await _http.DeleteAsync($"/admin/v1/federations/{Uri.EscapeDataString(federation)}/clients/{clientId}", cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(r, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a one-time enrolment token for a federation.</summary>
    public async Task<EnrolmentTokenResponse> CreateEnrolmentTokenAsync(string federation, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        var body = new EnrolmentTokenRequest { ValidSeconds = validFor.TotalSeconds };
        using HttpResponseMessage r = await _http.PostAsJsonAsync($"/admin/v1/federations/{Uri.EscapeDataString(federation)}/enrolment-tokens", body, AdminJson.Options, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<EnrolmentTokenResponse>(r, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a round over the federation's current roster.</summary>
    public async Task<RoundStatus> OpenRoundAsync(OpenRoundRequest request, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage r = await _http.PostAsJsonAsync("/admin/v1/rounds", request, AdminJson.Options, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<RoundStatus>(r, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a round's status (with its sums once completed, when <paramref name="includeSums"/>).</summary>
    public async Task<RoundStatus> GetRoundAsync(string roundId, bool includeSums = true, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage r = await _http.GetAsync($"/admin/v1/rounds/{Uri.EscapeDataString(roundId)}?sums={(includeSums ? "true" : "false")}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<RoundStatus>(r, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts a running round.</summary>
    public async Task<RoundStatus> AbortRoundAsync(string roundId, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage r = await _http.PostAsync($"/admin/v1/rounds/{Uri.EscapeDataString(roundId)}/abort", null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<RoundStatus>(r, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls until the round is completed or aborted; returns its final status with sums.</summary>
    public async Task<RoundStatus> WaitForRoundAsync(string roundId, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            RoundStatus s = await GetRoundAsync(roundId, includeSums: false, cancellationToken).ConfigureAwait(false);
            if (s.Status != WireNames.Of(RoundPhase.Running))
            {
                return await GetRoundAsync(roundId, includeSums: true, cancellationToken).ConfigureAwait(false);
            }
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage r, CancellationToken ct)
    {
        await EnsureSuccessAsync(r, ct).ConfigureAwait(false);
        return await r.Content.ReadFromJsonAsync<T>(AdminJson.Options, ct).ConfigureAwait(false)
            ?? throw new RequestRefusedException((int)r.StatusCode, "malformed-response", $"empty {typeof(T).Name}");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage r, CancellationToken ct)
    {
        if (!r.IsSuccessStatusCode)
        {
            throw SignedRequestSender.Refusal(r.StatusCode, await r.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false));
        }
    }

    /// <summary>Disposes the HttpClient when this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Shows the server only, never the key.</summary>
    public override string ToString() => $"SecureFedAdminClient({_http.BaseAddress})";

}
