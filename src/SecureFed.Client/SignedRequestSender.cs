using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport;

namespace SecureFed.Client;

/// <summary>
/// Sends signed requests (protocol-spec/transport.md, "Signed requests") and retries transient failures with
/// exponential backoff. Every attempt is signed afresh (new timestamp and nonce); the requests are idempotent, so a
/// resend after a lost answer is harmless.
/// </summary>
internal sealed class SignedRequestSender(HttpClient http, SecureFedClientOptions options, IdentityKeyPair identity)
{
    private readonly Uri _base = options.ServerUrl!;
    private readonly string _keyHex = Convert.ToHexStringLower(identity.PublicKey.Bytes);

    public async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(HttpMethod method, string path, byte[]? body, TimeSpan extraTimeout,
        CancellationToken ct)
    {
        Exception? last = null;
        for (int attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.RequestTimeout + extraTimeout);
            try
            {
                using HttpRequestMessage request = Build(method, path, body);
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                byte[] content = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                // A request signed just before the server (re)started is stale to it: sign afresh and retry.
                bool stale = response.StatusCode == HttpStatusCode.Unauthorized && Refusal(response.StatusCode, content).Problem == ProblemCode.StaleRequest;
                if (!IsTransient(response.StatusCode) && !stale)
                {
                    return (response.StatusCode, content);
                }
                last = new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException e)
            {
                last = e;
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                last = e; // this attempt timed out
            }
            if (attempt < options.MaxAttempts)
            {
                await Task.Delay(retryAfter ?? Backoff(attempt), ct).ConfigureAwait(false);
            }
        }
        throw new ServerUnreachableException($"{method} {path} failed {options.MaxAttempts} times: {last?.Message}", last);
    }

    /// <summary>Reads a problem-details answer into a typed exception.</summary>
    public static RequestRefusedException Refusal(HttpStatusCode status, byte[] body)
    {
        string code = "http-" + ((int)status).ToString(CultureInfo.InvariantCulture), detail = "";
        ConfigurationError? error = null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            code = Text(doc.RootElement, "code") ?? code;
            detail = Text(doc.RootElement, "detail") ?? "";
            if (Text(doc.RootElement, "field") is { } field && Text(doc.RootElement, "allowed") is { } allowed)
            {
                error = new ConfigurationError(field, allowed, Text(doc.RootElement, "got"));
            }
        }
        catch (JsonException)
        {
            detail = "(no problem details)";
        }
        return new RequestRefusedException((int)status, code, detail) { InvalidConfiguration = error };
    }

    private static string? Text(JsonElement problem, string member) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty(member, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private HttpRequestMessage Build(HttpMethod method, string path, byte[]? body)
    {
        byte[] nonce = new byte[RequestSigning.NonceSize];
        SystemRandomSource.Instance.Fill(nonce);
        long timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] signature = RequestSigning.Sign(identity, method.Method, path, timestamp, nonce, body ?? []);
        var request = new HttpRequestMessage(method, new Uri(_base, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Add(TransportHeaders.Key, _keyHex);
        request.Headers.Add(TransportHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(TransportHeaders.Nonce, Convert.ToHexStringLower(nonce));
        request.Headers.Add(TransportHeaders.Signature, Convert.ToBase64String(signature));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(TransportHeaders.MessagePack);
        }
        return request;
    }

    private static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.InternalServerError;

    private TimeSpan Backoff(int attempt)
    {
        double baseMs = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        double jittered = baseMs * (0.5 + Random.Shared.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(jittered, options.MaxRetryDelay.TotalMilliseconds));
    }
}
