using System.Globalization;
using System.Net;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using SecureFed.Client.Diagnostics;
using SecureFed.Client.Http;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport;

namespace SecureFed.Client;

/// <summary>
/// Sends signed requests (protocol-spec/transport.md, "Signed requests") through the client's HTTP pipeline: the
/// resilience handler (<see cref="ClientResilience"/>: retries of transient failures with jittered exponential backoff,
/// a timeout per attempt) over <see cref="SignedAttemptHandler"/>, which signs every attempt afresh (new timestamp and
/// nonce) and sends it over the transport HttpClient. The requests are idempotent, so a resend after a lost answer is harmless.
/// </summary>
internal sealed class SignedRequestSender : IDisposable
{
    private readonly Uri _base;
    private readonly SecureFedClientOptions _options;
    private readonly HttpMessageInvoker _pipeline;
    private readonly ILogger _log;

    public SignedRequestSender(HttpClient transport, SecureFedClientOptions options, IdentityKeyPair identity, ILogger logger)
    {
        _base = options.ServerUrl!;
        _options = options;
        _log = logger;
        _pipeline = new HttpMessageInvoker(
            new ResilienceHandler(ClientResilience.Pipeline(options, logger)) { InnerHandler = new SignedAttemptHandler(transport, identity) },
            disposeHandler: true);
    }

    /// <summary>Sends one request, retrying transient failures; returns the first non-transient answer.</summary>
    /// <exception cref="ServerUnreachableException">Every attempt failed with a transient error (network, timeout, 408/429/5xx).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (at any point: attempt, backoff or body read).</exception>
    public async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(HttpMethod method, string path, byte[]? body, TimeSpan extraTimeout,
        CancellationToken ct)
    {
        using Activity? span = ClientTracing.Source.StartActivity("securefed.request", ActivityKind.Internal);
        span?.SetTag("http.request.method", method.Method);
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Options.Set(SignedAttemptHandler.SignedPath, path);
        request.Options.Set(SignedAttemptHandler.SignedBody, body ?? []);
        request.Options.Set(ClientResilience.AttemptTimeout, _options.RequestTimeout + extraTimeout);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }
        string failure;
        Exception? inner = null;
        try
        {
            using HttpResponseMessage response = await _pipeline.SendAsync(request, ct).ConfigureAwait(false);
            byte[] content = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (!ClientResilience.IsTransientFailure(response.StatusCode) && !(response.StatusCode == HttpStatusCode.Unauthorized && Refusal(response.StatusCode, content).Problem == ProblemCode.StaleRequest))
            {
                if ((int)response.StatusCode >= 400 && response.StatusCode != HttpStatusCode.Gone)
                {
                    _log.RequestRefused(method.Method, path, (int)response.StatusCode, Refusal(response.StatusCode, content).Code);
                }
                return (response.StatusCode, content);
            }
            failure = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException
            || ClientResilience.IsUnwrappedNetworkFailure(e))
        {
            (failure, inner) = (e.Message, e);
        }
        span?.SetStatus(ActivityStatusCode.Error, failure);
        _log.ServerUnreachable(method.Method, path, failure);
        throw new ServerUnreachableException($"{method} {path} failed {_options.MaxAttempts} times: {failure}", inner);
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

    public void Dispose() => _pipeline.Dispose();
}
